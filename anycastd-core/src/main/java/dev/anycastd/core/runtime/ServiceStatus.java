package dev.anycastd.core.runtime;

import dev.anycastd.core.check.Health;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one service, for programs that embed the runtime and for status output.
 *
 * @param name the service's name
 * @param healthy the verdict after rise and fall
 * @param announce whether some of its prefixes should be announced now: healthy and not drained
 *     (announced as configured), or in one of the other forms ({@link State#DEGRADED}, {@link State#DRAINING})
 * @param drained whether the operator drained it
 * @param converged whether the routing daemon was last seen to match {@code announce}
 * @param reason why the service is (not) healthy, e.g. {@code "check dns: unhealthy: timeout"}
 * @param checks the latest result of each check that has one, by check name
 * @param state what the service is, as an operator asks it
 * @param since when {@code state} began (or when the runtime started)
 * @param why the reason given when {@code state} began, e.g. {@code "drained by the operator: kernel update"}
 * @param prefixes each prefix and its state at the routing daemon as last seen, in definition order
 * @param results the latest result of each check that has one and when it came, in check order
 * @param drain the operator's drain, when drained
 */
public record ServiceStatus(String name, boolean healthy, boolean announce, boolean drained, boolean converged,
        String reason, Map<String, Health> checks, State state, Instant since, String why, List<PrefixStatus> prefixes,
        Map<String, CheckResult> results, Optional<Drain> drain) {

    /** Copies the collections. */
    public ServiceStatus {
        checks = Map.copyOf(checks);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(why, "why");
        prefixes = List.copyOf(prefixes);
        results = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(results));
        Objects.requireNonNull(drain, "drain");
    }

    /** The snapshot as it was before state, since, prefixes and results were added; those are derived or empty. */
    public ServiceStatus(String name, boolean healthy, boolean announce, boolean drained, boolean converged,
            String reason, Map<String, Health> checks) {
        this(name, healthy, announce, drained, converged, reason, checks,
                drained ? State.DRAINED : announce ? State.ANNOUNCED : State.WITHDRAWN, Instant.EPOCH, reason, List.of(),
                Map.of(), Optional.empty());
    }

    /**
     * Whether the service is as it should be: announced, or drained (or draining) by the operator,
     * and the routing daemon was last seen to match. A withdrawn, degraded or starting service, or
     * one whose prefixes are still being changed or retried, is not.
     */
    public boolean asWanted() {
        return converged && (state == State.ANNOUNCED || state == State.DRAINED || state == State.DRAINING);
    }

    /** What a service is, as an operator asks it. */
    public enum State {
        /** Not every check has reported yet; withdrawn. */
        STARTING,
        /** Healthy: its prefixes should be announced. */
        ANNOUNCED,
        /** Not healthy: its prefixes should be withdrawn. */
        WITHDRAWN,
        /**
         * Not healthy, with a when-down route policy: its prefixes that have one stay announced
         * through it (a last resort), the others are withdrawn.
         */
        DEGRADED,
        /**
         * Drained (or stopping) gracefully, within the drain hold: what was announced is announced
         * through the drain route policy until the hold ends, then withdrawn.
         */
        DRAINING,
        /** Drained by the operator: withdrawn whatever its checks say. */
        DRAINED,
        /** The runtime is stopping: withdrawn for good. */
        STOPPING
    }

    /**
     * One prefix of the service and what the routing daemon had, as last seen.
     *
     * @param prefix the network
     * @param description the prefix as logs name it, e.g. {@code "203.0.113.53/32 (frrouting, vrf blue)"}
     * @param announced whether it was announced when last seen; empty when never seen yet
     * @param seenAt when it was last seen (an announce, withdraw or read that succeeded); empty when never
     */
    public record PrefixStatus(String prefix, String description, Optional<Boolean> announced, Optional<Instant> seenAt) {
        /** Requires every part. */
        public PrefixStatus {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(announced, "announced");
            Objects.requireNonNull(seenAt, "seenAt");
        }
    }

    /**
     * A check's latest result.
     *
     * @param health the result
     * @param at when it came
     */
    public record CheckResult(Health health, Instant at) {
        /** Requires both. */
        public CheckResult {
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(at, "at");
        }
    }
}
