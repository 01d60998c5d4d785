package dev.anycastd.core.internal.service;

import dev.anycastd.core.check.Health;
import java.util.Objects;

/** What can happen to a service; the input of {@link ServiceStateMachine}. */
public sealed interface ServiceEvent {

    /**
     * A check finished (or timed out: then its health is unknown). Counts as one evaluation.
     *
     * @param check the check's name
     * @param health its result
     */
    record CheckCompleted(String check, Health health) implements ServiceEvent {
        /** Requires both. */
        public CheckCompleted {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(health, "health");
        }
    }

    /** Time passed: results may have gone stale. Not an evaluation. */
    record Tick() implements ServiceEvent {
    }

    /**
     * The operator drains the service: withdrawn whatever its health; with a graceful drain
     * configured, what was announced is first held through the drain policy until {@link HoldEnded}.
     *
     * @param reason what the operator said; empty when nothing
     */
    record Drain(String reason) implements ServiceEvent {
        /** Requires a reason, which may be empty. */
        public Drain {
            Objects.requireNonNull(reason, "reason");
        }

        /** A drain without a reason. */
        public Drain() {
            this("");
        }
    }

    /** The operator ends a drain: announced again if healthy. */
    record Resume() implements ServiceEvent {
    }

    /**
     * The daemon stops: withdrawn for good.
     *
     * @param graceful whether announced prefixes are first held through the drain policy
     */
    record Stop(boolean graceful) implements ServiceEvent {
        /** A stop that withdraws at once. */
        public Stop() {
            this(false);
        }
    }

    /** A graceful drain's hold has run out (or was cut): its prefixes are withdrawn. */
    record HoldEnded() implements ServiceEvent {
    }
}
