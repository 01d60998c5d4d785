package dev.anycastd.core.service;

import java.time.Duration;
import java.util.Objects;

/**
 * A drain (by the operator, or at shutdown) that first announces the service's prefixes through
 * another routing policy for a while, typically one that sets the RFC 8326 GRACEFUL_SHUTDOWN
 * community 65535:0 or prepends, so that upstream routers move traffic away before the routes
 * disappear.
 *
 * @param hold how long the prefixes stay announced through {@code routePolicy} before they are
 *     withdrawn; positive. At shutdown the hold is cut to what the shutdown bound leaves.
 * @param routePolicy the routing daemon's name of the policy (FRR: a route-map); not blank
 */
public record GracefulDrain(Duration hold, String routePolicy) {

    /** Requires a positive hold and a name. */
    public GracefulDrain {
        Objects.requireNonNull(hold, "hold");
        Objects.requireNonNull(routePolicy, "routePolicy");
        if (hold.isNegative() || hold.isZero()) {
            throw new IllegalArgumentException("a drain hold must be positive, got " + hold);
        }
        if (routePolicy.isBlank()) {
            throw new IllegalArgumentException("a drain route policy needs a name");
        }
    }
}
