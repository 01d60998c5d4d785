package dev.anycastd.core.prefix;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Changes several prefixes of one routing daemon in one operation, for daemons where each
 * call is expensive (one {@code vtysh} process costs about 50 ms; a hundred prefixes in one
 * call cost about as much as one).
 *
 * <p>Only prefixes whose {@link Prefix#batch()} returned this batch are passed in. An
 * implementation must either apply all of them or throw; after a throw the runtime falls
 * back to the prefixes' own {@code announce()}/{@code withdraw()}, so a batch that was
 * applied in part is completed, never forgotten.
 */
public interface PrefixBatch {

    /** Announces every given prefix; idempotent like {@link Prefix#announce()}. */
    void announce(List<? extends Prefix> prefixes) throws RoutingException;

    /** Withdraws every given prefix; idempotent like {@link Prefix#withdraw()}. */
    void withdraw(List<? extends Prefix> prefixes) throws RoutingException;

    /**
     * Which of the given prefixes are announced now. The default asks each prefix; a daemon
     * that can list its configuration at once should override it (the runtime calls this for
     * every prefix at each reconcile interval).
     */
    default Set<IpPrefix> announced(List<? extends Prefix> prefixes) throws RoutingException {
        Set<IpPrefix> announced = new HashSet<>();
        for (Prefix prefix : prefixes) {
            if (prefix.isAnnounced()) {
                announced.add(prefix.prefix());
            }
        }
        return announced;
    }

    /**
     * Which of the given prefixes are announced exactly in their own form ({@link Prefix#isAnnouncedExactly()}):
     * a network the daemon has through another routing policy is absent. The default is
     * {@link #announced(List)}, right for daemons whose prefixes have no other form.
     */
    default Set<IpPrefix> announcedExactly(List<? extends Prefix> prefixes) throws RoutingException {
        return announced(prefixes);
    }
}
