package dev.anycastd.core.internal.service;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.service.Policy;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.service.TransitionCause;
import dev.anycastd.core.service.WhenDown;
import java.time.Duration;
import java.time.Instant;
import dev.anycastd.core.service.Requirement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Decides, for one service, whether its prefixes should be announced. Pure: no threads, no
 * clock, no I/O; the caller supplies the time of each event, so every rule is testable.
 *
 * <p>The rules:
 * <ul>
 *   <li>An evaluation (each completed check) is healthy when enough checks pass: every check
 *       by default, or as many as {@link Policy#require()} says, counted among the checks that
 *       are not {@linkplain Policy#guards() guards}; every guard must pass whatever the
 *       requirement. A check passes when its latest result is healthy and fresh; a check with
 *       no result yet, an unhealthy or unknown result, or a result older than the check's
 *       freshness bound fails: doubt withdraws.</li>
 *   <li>A withdrawn service becomes healthy after {@link Policy#rise()} consecutive healthy
 *       evaluations; a healthy one becomes unhealthy after {@link Policy#fall()} consecutive
 *       unhealthy ones.</li>
 *   <li>A {@link ServiceEvent.Tick} that finds the results failing, the first failing check
 *       (in check order) because its result is stale, withdraws at once, whatever {@code fall}
 *       says: a stale result means the check is no longer being run, which is not a flap to be
 *       damped.</li>
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
            Verdict problem = verdict(state, now);
            return result(state, withFlags(state, false, false, Form.WITHDRAWN), "drain ended, " + reason(problem), cause(problem));
        }
        if (event instanceof ServiceEvent.Stop stop) {
            Form heldFrom = state.stopped() ? state.heldFrom() : holdFrom(state, graceful && stop.graceful());
            return result(state, withFlags(state, state.drained(), true, heldFrom), "stopping", TransitionCause.STOPPING);
        }
        if (event instanceof ServiceEvent.HoldEnded) {
            if (!state.holding()) {
                Verdict verdict = verdict(state, now);
                return result(state, state, reason(verdict), cause(verdict));
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
        Verdict problem = verdict(withResult, now);
        ServiceState next;
        if (problem.healthy()) {
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
        Verdict problem = verdict(state, now);
        if (state.healthy() && !problem.healthy() && problem.stale()) {
            ServiceState next = new ServiceState(state.latest(), 0, state.unhealthyStreak() + 1, false,
                    state.drained(), state.stopped(), state.heldFrom());
            return result(state, next, problem.text(), problem.cause());
        }
        return result(state, state, reason(problem), cause(problem));
    }

    private static String reason(Verdict verdict) {
        return verdict.text();
    }

    private static TransitionCause cause(Verdict verdict) {
        return verdict.cause();
    }

    /**
     * Whether the latest results pass as the policy requires now, and why. Under the default
     * requirement (every check) the reason is the first problem in check order, as the original
     * anycastd said it; otherwise it counts: {@code "1 of 3 checks pass, 2 required; failing: a (...), b (...)"}.
     */
    private Verdict verdict(ServiceState state, Instant now) {
        List<Problem> guardProblems = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        int counted = 0;
        for (Map.Entry<String, Duration> check : freshFor.entrySet()) {
            boolean guard = policy.guards().contains(check.getKey());
            counted += guard ? 0 : 1;
            Problem problem = problem(check.getKey(), check.getValue(), state.latest().get(check.getKey()), now);
            if (problem != null) {
                (guard ? guardProblems : problems).add(problem);
            }
        }
        if (policy.require() instanceof Requirement.All) {
            Problem first = firstInCheckOrder(guardProblems, problems);
            return first == null ? Verdict.HEALTHY : new Verdict(false, first.text(), first.cause(), first.stale());
        }
        if (!guardProblems.isEmpty()) {
            Problem first = guardProblems.get(0);
            return new Verdict(false, first.text(), first.cause(), first.stale());
        }
        int needed = policy.require().needed(counted);
        int passing = counted - problems.size();
        String text = passing + " of " + counted + " checks pass, " + needed + " required"
                + (problems.isEmpty() ? "" : "; failing: " + problems.stream()
                        .map(problem -> problem.check() + " (" + problem.detail() + ")").collect(Collectors.joining(", ")));
        if (passing >= needed) {
            return new Verdict(true, text, TransitionCause.CHECKS_HEALTHY, false);
        }
        Problem first = problems.get(0);
        return new Verdict(false, text, first.cause(), first.stale());
    }

    private Problem firstInCheckOrder(List<Problem> guardProblems, List<Problem> problems) {
        for (String check : freshFor.keySet()) {
            for (List<Problem> list : List.of(guardProblems, problems)) {
                for (Problem problem : list) {
                    if (problem.check().equals(check)) {
                        return problem;
                    }
                }
            }
        }
        return null;
    }

    /** Why one check does not pass now; null if it does. */
    private static Problem problem(String check, Duration freshFor, ServiceState.Result result, Instant now) {
        if (result == null) {
            return new Problem(check, "no result yet", TransitionCause.CHECK_NO_RESULT);
        }
        if (!(result.health() instanceof Health.Healthy)) {
            return new Problem(check, result.health().describe(),
                    result.health() instanceof Health.Unhealthy ? TransitionCause.CHECK_UNHEALTHY : TransitionCause.CHECK_UNKNOWN);
        }
        Duration age = Duration.between(result.at(), now);
        if (age.compareTo(freshFor) > 0) {
            return new Problem(check, "stale: " + age.toMillis() + " ms old, fresh for " + freshFor.toMillis() + " ms",
                    TransitionCause.CHECK_STALE);
        }
        return null;
    }

    /** Why one check does not pass. */
    private record Problem(String check, String detail, TransitionCause cause) {
        boolean stale() {
            return cause == TransitionCause.CHECK_STALE;
        }

        /** As the original anycastd said it: {@code "check dns: unhealthy: timeout"}. */
        String text() {
            return switch (cause) {
                case CHECK_NO_RESULT -> "check " + check + " has no result yet";
                case CHECK_STALE -> "check " + check + " result is " + detail;
                default -> "check " + check + ": " + detail;
            };
        }
    }

    /**
     * Whether the results pass as required, why, and whether the first failing check fails only
     * because its result is stale (which a tick acts on at once).
     */
    private record Verdict(boolean healthy, String text, TransitionCause cause, boolean stale) {
        static final Verdict HEALTHY = new Verdict(true, "all checks healthy", TransitionCause.CHECKS_HEALTHY, false);
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
