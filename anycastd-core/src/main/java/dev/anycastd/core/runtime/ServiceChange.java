package dev.anycastd.core.runtime;

import dev.anycastd.core.prefix.IpPrefix;
import java.time.Instant;
import java.util.List;

/**
 * A change of a service's condition waiting to be told as {@link RuntimeEvent.ChangeApplied}
 * once the routing daemons have it.
 *
 * @param service the service's name
 * @param from its condition before
 * @param to its condition after
 * @param reason why, in words
 * @param prefixes the service's prefixes
 */
record ServiceChange(String service, RuntimeEvent.ServiceCondition from, RuntimeEvent.ServiceCondition to, String reason,
        List<IpPrefix> prefixes) {

    /** This change, as from where {@code earlier}, not yet told, started: what was told last stays the starting point. */
    ServiceChange after(ServiceChange earlier) {
        return earlier == null ? this : new ServiceChange(service, earlier.from(), to, reason, prefixes);
    }

    /** The event telling it applied ({@code error} null) or failed. */
    RuntimeEvent.ChangeApplied applied(String error, Instant at) {
        return new RuntimeEvent.ChangeApplied(service, from, to, reason, prefixes, error, at);
    }
}
