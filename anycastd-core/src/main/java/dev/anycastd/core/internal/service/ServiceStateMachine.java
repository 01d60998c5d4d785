package dev.anycastd.core.internal.service;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.service.Policy;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.service.TransitionCause;
import dev.anycastd.core.service.WhenDown;
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
 *   <li>With a when-down policy, an unhealthy service whose every check has reported is in the
 *       {@link Form#WHEN_DOWN} form (its prefixes announced through their last-resort policies)
 *       instead of withdrawn. Before every check has reported it is withdrawn: no verdict yet is
 *       doubt, not a known failure.</li>
 *   <li>With a graceful drain, a drain or a graceful stop of a service whose prefixes are
 *       announced (normal or when-down) holds them in the {@link Form#DRAINING} form until
 *       {@link ServiceEvent.HoldEnded}, then withdraws. A resume ends the hold. A drain of a
 *       withdrawn service withdraws at once: there is no traffic to move away.</li>
 * </ul>
 *
 * <p>A result is fresh for {@code 2 × interval + timeout} of its check: one missed run is
 * tolerated, two are not.
 */
public final class ServiceStateMachine {

    private final Policy policy;
    private final Map<String, Duration> freshFor;
    private final boolean whenDown;
    private final boolean graceful;

    /**
     * A state machine for checks with the given freshness bounds, that withdraws when down and at once when drained.
     *
     * @param policy rise and fall
     * @param freshFor each check's name and how long its result stays fresh, in evaluation order
     */
    public ServiceStateMachine(Policy policy, Map<String, Duration> freshFor) {
        this(policy, freshFor, false, false);
    }

    /**
     * A state machine for checks with the given freshness bounds.
     *
     * @param policy rise and fall
     * @param freshFor each check's name and how long its result stays fresh, in evaluation order
     * @param whenDown whether some prefix of the service stays announced through a policy when down
     * @param graceful whether drains hold the prefixes through a drain policy before withdrawing
     */
    public ServiceStateMachine(Policy policy, Map<String, Duration> freshFor, boolean whenDown, boolean graceful) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.freshFor = new LinkedHashMap<>(freshFor);
        if (this.freshFor.isEmpty()) {
            throw new IllegalArgumentException("a service needs at least one check");
        }
        this.whenDown = whenDown;
        this.graceful = graceful;
    }

    /** The state machine of a service definition, with each check's default freshness bound. */
    public static ServiceStateMachine of(ServiceDefinition service) {
        Map<String, Duration> freshFor = new LinkedHashMap<>();
        for (HealthCheck check : service.checks()) {
            freshFor.put(check.name(), freshnessBound(check));
        }
        boolean whenDown = service.whenDown().stream().anyMatch(WhenDown.Through.class::isInstance);
        return new ServiceStateMachine(service.policy(), freshFor, whenDown, service.gracefulDrain().isPresent());
    }

    /** How the prefixes of a service in {@code state} should be at the routing daemon. */
    public Form form(ServiceState state) {
        if (state.drained() || state.stopped()) {
            return state.holding() ? Form.DRAINING : Form.WITHDRAWN;
        }
        if (state.healthy()) {
            return Form.NORMAL;
        }
        return whenDown && state.latest().size() == freshFor.size() ? Form.WHEN_DOWN : Form.WITHDRAWN;
    }

    /** The form a drain or graceful stop holds from: what was announced, unless a hold is under way already. */
    private Form holdFrom(ServiceState state, boolean gracefully) {
        if (state.holding()) {
            return state.heldFrom();
        }
        Form now = form(state);
        return gracefully && now.announces() ? now : Form.WITHDRAWN;
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
            Form heldFrom = state.stopped() ? state.heldFrom() : holdFrom(state, graceful && !state.drained());
            return result(state, withFlags(state, true, state.stopped(), heldFrom),
                    drain.reason().isBlank() ? "drained by the operator" : "drained by the operator: " + drain.reason().strip(),
                    TransitionCause.DRAINED);
        }
        if (event instanceof ServiceEvent.Resume) {
            if (state.stopped()) {
                return result(state, state, "stopping", TransitionCause.STOPPING);
            }
            Problem problem = firstProblem(state, now);
            return result(state, withFlags(state, false, false, Form.WITHDRAWN), "drain ended, " + reason(problem), cause(problem));
        }
        if (event instanceof ServiceEvent.Stop stop) {
            Form heldFrom = state.stopped() ? state.heldFrom() : holdFrom(state, graceful && stop.graceful());
            return result(state, withFlags(state, state.drained(), true, heldFrom), "stopping", TransitionCause.STOPPING);
        }
        if (event instanceof ServiceEvent.HoldEnded) {
            if (!state.holding()) {
                return result(state, state, reason(firstProblem(state, now)), cause(firstProblem(state, now)));
            }
            return result(state, withFlags(state, state.drained(), state.stopped(), Form.WITHDRAWN),
                    state.stopped() ? "stopping, the drain hold ended" : "drained by the operator, the drain hold ended",
                    state.stopped() ? TransitionCause.STOPPING : TransitionCause.DRAINED);
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
                state.healthy(), state.drained(), state.stopped(), state.heldFrom());
        Problem problem = firstProblem(withResult, now);
        ServiceState next;
        if (problem == null) {
            int streak = withResult.healthyStreak() + 1;
            boolean healthy = withResult.healthy() || streak >= policy.rise();
            next = new ServiceState(latest, streak, 0, healthy, state.drained(), state.stopped(), state.heldFrom());
        } else {
            int streak = withResult.unhealthyStreak() + 1;
            boolean healthy = withResult.healthy() && streak < policy.fall();
            next = new ServiceState(latest, 0, streak, healthy, state.drained(), state.stopped(), state.heldFrom());
        }
        return result(state, next, reason(problem), cause(problem));
    }

    private Transition tick(ServiceState state, Instant now) {
        Problem problem = firstProblem(state, now);
        if (state.healthy() && problem != null && problem.stale()) {
            ServiceState next = new ServiceState(state.latest(), 0, state.unhealthyStreak() + 1, false,
                    state.drained(), state.stopped(), state.heldFrom());
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

    private static ServiceState withFlags(ServiceState state, boolean drained, boolean stopped, Form heldFrom) {
        return new ServiceState(state.latest(), state.healthyStreak(), state.unhealthyStreak(), state.healthy(), drained, stopped,
                heldFrom);
    }

    private Transition result(ServiceState before, ServiceState after, String reason, TransitionCause cause) {
        Form form = form(after);
        return new Transition(after, form, form != form(before) || after.heldFrom() != before.heldFrom(), reason, cause);
    }
}
