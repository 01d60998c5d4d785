package dev.anycastd.core.runtime;

import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.RoutingException;
import dev.anycastd.core.service.ServiceDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Asks every prefix whether its routing daemon can carry it, before the runtime announces anything. */
final class PrefixVerification {

    private PrefixVerification() {
    }

    /**
     * Calls {@link Prefix#verify()} of every prefix of {@code services} in every form it may be
     * announced in ({@link ServiceDefinition#everyForm()}: through a when-down or drain route policy
     * too), each bounded by its own timeout as the port requires, and reports every one that failed at once.
     *
     * @throws UnusablePrefixesException naming each prefix that cannot be carried and why
     */
    static void requireUsable(Collection<ServiceDefinition> services) {
        List<String> failures = new ArrayList<>();
        for (ServiceDefinition service : services) {
            for (Prefix prefix : service.everyForm()) {
                try {
                    prefix.verify();
                } catch (RoutingException | RuntimeException e) {
                    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    failures.add("service \"" + service.name() + "\", prefix " + prefix.describe() + ": " + reason);
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new UnusablePrefixesException(failures);
        }
    }
}
