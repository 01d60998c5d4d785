package dev.anycastd.core.runtime;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.service.TransitionCause;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the runtime tells a {@link RuntimeListener}. Closed: a {@code switch} over the cases is
 * exhaustive, so a case added in a later version is seen where it must be handled. Durations
 * are measured in real time ({@link System#nanoTime()}); instants come from the runtime's clock.
 */
public sealed interface RuntimeEvent {

    /** Where a service stands, as operators count services. */
    enum ServiceCondition {
        /** Its prefixes should be announced: healthy and not drained. */
        ANNOUNCED,
        /** Its prefixes should be withdrawn: not healthy (or stopping). */
        WITHDRAWN,
        /** The operator drained it: withdrawn whatever its health. */
        DRAINED,
        /** Not healthy, and its prefixes with a when-down route policy stay announced through it. */
        DEGRADED,
        /** Drained (or stopping) gracefully: announced through the drain route policy until the hold ends. */
        DRAINING
    }

    /** What a routing-daemon call did. */
    enum Operation {
        /** Announced prefixes. */
        ANNOUNCE,
        /** Withdrew prefixes. */
        WITHDRAW,
        /** Read whether prefixes are announced. */
        READ
    }

    /**
     * A service changed condition.
     *
     * @param service the service's name
     * @param from its condition before
     * @param to its condition now
     * @param cause why, as a small closed set
     * @param reason why, in words, as the log says it (names checks, quotes their errors)
     * @param at when, by the runtime's clock
     */
    record ServiceChanged(String service, ServiceCondition from, ServiceCondition to, TransitionCause cause, String reason,
            Instant at) implements RuntimeEvent {
        /** Requires every field. */
        public ServiceChanged {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A service's change of condition (a {@link ServiceChanged}) has gone as far as the routing
     * daemons: its prefixes were announced or withdrawn as it now wants ({@code error} is
     * {@code null}), or the first attempt failed ({@code error} says why; retries go on and are not
     * told again). A change that needs no routing call (draining a withdrawn service) is told at
     * once. When changes follow each other faster than the routing daemons apply them, the newest
     * is told, from the condition the last one told ended in. Changes of a service that a
     * reconfiguration removes or replaces are not told; those of shutdown are, after the withdrawal.
     * What the daemon's {@code on-change} hooks run on.
     *
     * @param service the service's name
     * @param from its condition before the change(s) told here
     * @param to its condition now
     * @param reason why, in words, as the log says it
     * @param prefixes the service's prefixes
     * @param error why applying it failed, or {@code null} when it succeeded
     * @param at when it was applied (or failed), by the runtime's clock
     */
    record ChangeApplied(String service, ServiceCondition from, ServiceCondition to, String reason, List<IpPrefix> prefixes,
            String error, Instant at) implements RuntimeEvent {
        /** Requires every field but the error; copies the list. */
        public ChangeApplied {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
            prefixes = List.copyOf(prefixes);
            Objects.requireNonNull(at, "at");
        }

        /** Whether the routing daemons hold what the service wants now. */
        public boolean succeeded() {
            return error == null;
        }
    }

    /**
     * A check gave a result: a run finished (or outlived its timeout, then {@code health} is
     * unknown and {@code latency} the timeout), or the check pushed one.
     *
     * @param service the service the check belongs to
     * @param check the check's name
     * @param health the result
     * @param pushed whether the check pushed it between runs (then {@code latency} is zero)
     * @param latency how long the run took
     * @param at when the result arrived, by the runtime's clock
     */
    record CheckCompleted(String service, String check, Health health, boolean pushed, Duration latency, Instant at)
            implements RuntimeEvent {
        /** Requires every field. */
        public CheckCompleted {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * One call to a routing daemon finished: a batch of prefixes or a single one.
     *
     * @param operation what it did
     * @param prefixes how many prefixes it was about
     * @param duration how long it took, up to its time limit
     * @param error why it failed (a time limit reached reads {@code "timed out: ..."}), or
     *     {@code null} when it succeeded
     */
    record RouterCall(Operation operation, int prefixes, Duration duration, String error) implements RuntimeEvent {
        /** Requires the operation and the duration. */
        public RouterCall {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(duration, "duration");
        }

        /** Whether the call succeeded. */
        public boolean succeeded() {
            return error == null;
        }
    }

    /**
     * Whether a prefix was announced when a reconcile read it from its routing daemon.
     *
     * @param service the service that owns it
     * @param prefix the network
     * @param announced whether the routing daemon had it as the service wants it: for a service
     *     that wants it announced, in the form it wants (a network announced through another route
     *     policy reads false); for one that wants it withdrawn, in any form
     */
    record PrefixState(String service, IpPrefix prefix, boolean announced) {
        /** Requires service and prefix. */
        public PrefixState {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(prefix, "prefix");
        }
    }

    /**
     * A reconcile run finished: it compared what the routing daemons have with what the services
     * that had settled want, and asked for repairs where they differ. The reconcile loop is alive
     * as long as these keep coming.
     *
     * @param completedAt when it finished, by the runtime's clock
     * @param duration how long it took
     * @param prefixes what it read, for the prefixes of the services it compared; a prefix whose
     *     state could not be read is missing
     * @param announceRepairs prefixes that should have been announced and were not (the routing
     *     daemon lacked them), asked to be announced again
     * @param withdrawRepairs prefixes that should have been withdrawn and were announced (the
     *     routing daemon had what it should not), asked to be withdrawn again
     * @param converged whether every service had been evaluated (each check gave a result) and
     *     had reached what it wants, every read succeeded and nothing needed repair: the routing
     *     daemons hold what they should
     */
    record ReconcileCompleted(Instant completedAt, Duration duration, List<PrefixState> prefixes, int announceRepairs,
            int withdrawRepairs, boolean converged) implements RuntimeEvent {
        /** Copies the list. */
        public ReconcileCompleted {
            Objects.requireNonNull(completedAt, "completedAt");
            Objects.requireNonNull(duration, "duration");
            prefixes = List.copyOf(prefixes);
        }
    }
}
