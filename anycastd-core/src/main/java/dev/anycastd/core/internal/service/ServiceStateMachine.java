package dev.anycastd.core.internal.service;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.service.Policy;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.service.TransitionCause;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Decides, for one service, whether its prefixes should be announced. Pure: no threads, no
 * clock, no I/O; the caller supplies the time of each event, so every rule is testable.
 *
 * <p>The rules:
 * <ul>
 *   <li>An evaluation (each completed check) is healthy when the latest result of every check
 *       is healthy and fresh. A check with no result yet, an unhealthy or unknown result, or a
 *       result older than the check's freshness bound makes it unhealthy: doubt withdraws.</li>
 *   <li>A withdrawn service becomes healthy after {@link Policy#rise()} consecutive healthy
 *       evaluations; a healthy one becomes unhealthy after {@link Policy#fall()} consecutive
 *       unhealthy ones.</li>
 *   <li>A {@link ServiceEvent.Tick} that finds a result stale withdraws at once, whatever
 *       {@code fall} says: a stale result means the check is no longer being run, which is
 *       not a flap to be damped.</li>
 *   <li>A drained service is withdrawn whatever its health; a stopped one for good.</li>
 * </ul>
 *
 * <p>A result is fresh for {@code 2 × interval + timeout} of its check: one missed run is
 * tolerated, two are not.
 */
public final class ServiceStateMachine {

    private final Policy policy;
    private final Map<String, Duration> freshFor;

    /**
     * A state machine for checks with the given freshness bounds.
     *
     * @param policy rise and fall
     * @param freshFor each check's name and how long its result stays fresh, in evaluation order
     */
    public ServiceStateMachine(Policy policy, Map<String, Duration> freshFor) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.freshFor = new LinkedHashMap<>(freshFor);
        if (this.freshFor.isEmpty()) {
            throw new IllegalArgumentException("a service needs at least one check");
        }
    }

    /** The state machine of a service definition, with each check's default freshness bound. */
    public static ServiceStateMachine of(ServiceDefinition service) {
        Map<String, Duration> freshFor = new LinkedHashMap<>();
        for (HealthCheck check : service.checks()) {
            freshFor.put(check.name(), freshnessBound(check));
        }
        return new ServiceStateMachine(service.policy(), freshFor);
    }

    /** How long a result of {@code check} stays fresh: two intervals plus one timeout. */
    public static Duration freshnessBound(HealthCheck check) {
        return check.interval().multipliedBy(2).plus(check.timeout());
    }

    /** Applies {@code event}, which happened at {@code now}, to {@code state}. */
    public Transition on(ServiceState state, ServiceEvent event, Instant now) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(now, "now");
        // Java 17 has no pattern switch; the final branch keeps a new event type from passing silently.
        if (event instanceof ServiceEvent.CheckCompleted completed) {
            return evaluate(state, completed, now);
        }
        if (event instanceof ServiceEvent.Tick) {
            return tick(state, now);
        }
        if (event instanceof ServiceEvent.Drain drain) {
            return result(state, withFlags(state, true, state.stopped()),
                    drain.reason().isBlank() ? "drained by the operator" : "drained by the operator: " + drain.reason().strip(),
                    TransitionCause.DRAINED);
        }
        if (event instanceof ServiceEvent.Resume) {
            Problem problem = firstProblem(state, now);
            return result(state, withFlags(state, false, state.stopped()), "drain ended, " + reason(problem), cause(problem));
        }
        if (event instanceof ServiceEvent.Stop) {
            return result(state, withFlags(state, state.drained(), true), "stopping", TransitionCause.STOPPING);
        }
        throw new AssertionError("unhandled event " + event);
    }

    private Transition evaluate(ServiceState state, ServiceEvent.CheckCompleted completed, Instant now) {
        if (!freshFor.containsKey(completed.check())) {
            throw new IllegalArgumentException("no check named \"" + completed.check() + "\" in this service");
        }
        Map<String, ServiceState.Result> latest = new HashMap<>(state.latest());
        latest.put(completed.check(), new ServiceState.Result(completed.health(), now));
        ServiceState withResult = new ServiceState(latest, state.healthyStreak(), state.unhealthyStreak(),
                state.healthy(), state.drained(), state.stopped());
        Problem problem = firstProblem(withResult, now);
        ServiceState next;
        if (problem == null) {
            int streak = withResult.healthyStreak() + 1;
            boolean healthy = withResult.healthy() || streak >= policy.rise();
            next = new ServiceState(latest, streak, 0, healthy, state.drained(), state.stopped());
        } else {
            int streak = withResult.unhealthyStreak() + 1;
            boolean healthy = withResult.healthy() && streak < policy.fall();
            next = new ServiceState(latest, 0, streak, healthy, state.drained(), state.stopped());
        }
        return result(state, next, reason(problem), cause(problem));
    }

    private Transition tick(ServiceState state, Instant now) {
        Problem problem = firstProblem(state, now);
        if (state.healthy() && problem != null && problem.stale()) {
            ServiceState next = new ServiceState(state.latest(), 0, state.unhealthyStreak() + 1, false,
                    state.drained(), state.stopped());
            return result(state, next, problem.text(), problem.cause());
        }
        return result(state, state, reason(problem), cause(problem));
    }

    private static String reason(Problem problem) {
        return problem == null ? "all checks healthy" : problem.text();
    }

    private static TransitionCause cause(Problem problem) {
        return problem == null ? TransitionCause.CHECKS_HEALTHY : problem.cause();
    }

    /** The first reason, in check order, why the latest results are not all healthy and fresh; null if they are. */
    private Problem firstProblem(ServiceState state, Instant now) {
        for (Map.Entry<String, Duration> check : freshFor.entrySet()) {
            ServiceState.Result result = state.latest().get(check.getKey());
            if (result == null) {
                return new Problem("check " + check.getKey() + " has no result yet", TransitionCause.CHECK_NO_RESULT);
            }
            if (!(result.health() instanceof Health.Healthy)) {
                return new Problem("check " + check.getKey() + ": " + result.health().describe(),
                        result.health() instanceof Health.Unhealthy ? TransitionCause.CHECK_UNHEALTHY : TransitionCause.CHECK_UNKNOWN);
            }
            Duration age = Duration.between(result.at(), now);
            if (age.compareTo(check.getValue()) > 0) {
                return new Problem("check " + check.getKey() + " result is stale: " + age.toMillis()
                        + " ms old, fresh for " + check.getValue().toMillis() + " ms", TransitionCause.CHECK_STALE);
            }
        }
        return null;
    }

    /** Why the results are not all healthy and fresh; {@code stale()} when only age is the trouble. */
    private record Problem(String text, TransitionCause cause) {
        boolean stale() {
            return cause == TransitionCause.CHECK_STALE;
        }
    }

    private static ServiceState withFlags(ServiceState state, boolean drained, boolean stopped) {
        return new ServiceState(state.latest(), state.healthyStreak(), state.unhealthyStreak(), state.healthy(), drained, stopped);
    }

    private static Transition result(ServiceState before, ServiceState after, String reason, TransitionCause cause) {
        return new Transition(after, after.announce(), after.announce() != before.announce(), reason, cause);
    }
}
