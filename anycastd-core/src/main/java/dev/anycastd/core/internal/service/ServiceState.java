package dev.anycastd.core.internal.service;

import dev.anycastd.core.check.Health;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link ServiceStateMachine} remembers of one service. Immutable.
 *
 * @param latest the latest result of each check that has one, by check name
 * @param healthyStreak consecutive healthy evaluations up to now
 * @param unhealthyStreak consecutive unhealthy evaluations up to now
 * @param healthy the verdict after rise and fall are applied
 * @param drained whether the operator drained the service
 * @param stopped whether the daemon is stopping (final)
 * @param heldFrom while a graceful drain holds (drained or stopped, within the hold): the form
 *     the prefixes had before, whose announced prefixes are held through the drain policy;
 *     {@link Form#WITHDRAWN} when no hold is under way
 */
public record ServiceState(Map<String, Result> latest, int healthyStreak, int unhealthyStreak,
        boolean healthy, boolean drained, boolean stopped, Form heldFrom) {

    /** The state every service starts in: no results, not healthy, not announced. */
    public static final ServiceState INITIAL = new ServiceState(Map.of(), 0, 0, false, false, false, Form.WITHDRAWN);

    /** Copies the map. */
    public ServiceState {
        latest = Map.copyOf(latest);
        Objects.requireNonNull(heldFrom, "heldFrom");
        if (heldFrom == Form.DRAINING) {
            throw new IllegalArgumentException("a hold is from the form before the drain, not from draining");
        }
    }

    /** Whether a graceful drain's hold is under way. */
    public boolean holding() {
        return heldFrom != Form.WITHDRAWN;
    }

    /** Whether the service's prefixes should be announced now as configured (healthy, not drained, not stopping). */
    public boolean announce() {
        return healthy && !drained && !stopped;
    }

    /**
     * A check's result and when it was taken.
     *
     * @param health the result
     * @param at when the check completed
     */
    public record Result(Health health, Instant at) {
        /** Requires both. */
        public Result {
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(at, "at");
        }
    }
}
