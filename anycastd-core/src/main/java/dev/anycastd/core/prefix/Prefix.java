package dev.anycastd.core.prefix;

/**
 * Port: one network prefix in one routing daemon.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>{@link #announce()} and {@link #withdraw()} are idempotent: announcing an announced
 *       prefix or withdrawing a withdrawn one succeeds.</li>
 *   <li>Every method is bounded in time: an implementation that talks to another process
 *       gives up after its own timeout and throws {@link RoutingException}.</li>
 *   <li>Methods may be called from any thread. {@link #announce()} and {@link #withdraw()} of
 *       one prefix are never called concurrently (the runtime applies changes one batch at a
 *       time), but {@link #isAnnounced()} may run while a change of the same prefix is under
 *       way (a reconcile reads while a check's verdict is applied), and must be safe then; the
 *       runtime acts on such a read only if nothing changed meanwhile.</li>
 * </ul>
 *
 * <p>A routing daemon that can change several prefixes in one operation returns the same
 * {@link PrefixBatch} from {@link #batch()} for all of them; the runtime then hands it every
 * prefix of that batch it changes at that moment, of one service or of many. Simple
 * implementations ignore {@code batch()}.
 */
public interface Prefix {

    /** The network this prefix announces. */
    IpPrefix prefix();

    /** Makes the routing daemon announce this prefix. */
    void announce() throws RoutingException;

    /** Makes the routing daemon stop announcing this prefix. */
    void withdraw() throws RoutingException;

    /**
     * Whether the routing daemon has this prefix's network configured for announcement now, in
     * any form (through any routing policy): what must be withdrawn to withdraw it.
     */
    boolean isAnnounced() throws RoutingException;

    /**
     * Whether the routing daemon announces this prefix exactly as this object describes it: the
     * network through this prefix's routing policy (or none), not through another. Defaults to
     * {@link #isAnnounced()}, right for prefixes that have no other form.
     */
    default boolean isAnnouncedExactly() throws RoutingException {
        return isAnnounced();
    }

    /**
     * The same network announced through the routing daemon's policy named {@code routePolicy}
     * (for FRR a route-map: {@code network P route-map NAME}), or empty when the routing daemon
     * cannot. The result is the same announcement ({@link #prefix()}, {@link #announcedIn()} and
     * {@link #batch()} are equal), so announcing it replaces this form in place and withdrawing
     * either withdraws the network. Empty by default.
     *
     * @throws IllegalArgumentException when {@code routePolicy} is not a name the routing daemon accepts
     */
    default java.util.Optional<Prefix> through(String routePolicy) {
        return java.util.Optional.empty();
    }

    /**
     * Checks, once before the runtime starts, that the routing daemon is reachable and can
     * carry this prefix (for FRR: vtysh runs, BGP is configured in the VRF).
     *
     * @throws RoutingException saying what is missing and how to fix it
     */
    default void verify() throws RoutingException {
    }

    /**
     * A description for logs, e.g. {@code 203.0.113.53/32 (frrouting, vrf 123)}.
     * Defaults to the prefix alone.
     */
    default String describe() {
        return prefix().toString();
    }

    /**
     * Where the routing daemon announces this prefix, in words an operator recognises, e.g.
     * {@code frrouting through /usr/bin/vtysh, VRF 123}. Two prefixes with equal {@link #prefix()}
     * and equal {@code announcedIn()} are one announcement, which only one service may own.
     * Defaults to the implementing class's name: one network of one prefix type counts as one
     * announcement, wherever it goes.
     */
    default String announcedIn() {
        return getClass().getName();
    }

    /**
     * How a later run can build this prefix again, so that it withdraws it even when the prefix
     * has left the configuration since it was announced (after a crash, or a reload). Empty by
     * default: such a prefix is cleaned up only while it is configured.
     */
    default java.util.Optional<PrefixRecord> record() {
        return java.util.Optional.empty();
    }

    /**
     * The batch this prefix can be changed in, or {@code null} when it is changed alone
     * (the default). Prefixes that return equal batches are applied in one call.
     */
    default PrefixBatch batch() {
        return null;
    }
}
