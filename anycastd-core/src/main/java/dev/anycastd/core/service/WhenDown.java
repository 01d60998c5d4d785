package dev.anycastd.core.service;

import java.util.Objects;

/**
 * What a prefix becomes while its service is unhealthy: withdrawn (the original's meaning), or
 * still announced through another routing policy (for FRR a route-map that prepends, raises the
 * MED or sets a community), so the instance stays a last resort instead of vanishing. Doubt about
 * the host itself (a drain, shutdown, start-up) withdraws whatever this says.
 */
public sealed interface WhenDown {

    /** Withdraw the prefix: the default. */
    WhenDown WITHDRAW = new Withdraw();

    /** Withdraw the prefix while the service is unhealthy. */
    record Withdraw() implements WhenDown {
    }

    /**
     * Keep the prefix announced through {@code routePolicy} while the service is unhealthy.
     *
     * @param routePolicy the routing daemon's name of the policy (FRR: a route-map); not blank
     */
    record Through(String routePolicy) implements WhenDown {
        /** Requires a name. */
        public Through {
            Objects.requireNonNull(routePolicy, "routePolicy");
            if (routePolicy.isBlank()) {
                throw new IllegalArgumentException("a when-down route policy needs a name");
            }
        }
    }
}
