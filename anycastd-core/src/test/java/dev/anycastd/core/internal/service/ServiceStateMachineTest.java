package dev.anycastd.core.internal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.service.Policy;
import dev.anycastd.core.service.Requirement;
import dev.anycastd.core.service.TransitionCause;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceStateMachineTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration FRESH = Duration.ofSeconds(15);

    private static ServiceStateMachine machine(Policy policy, String... checks) {
        Map<String, Duration> freshFor = new LinkedHashMap<>();
        for (String check : checks) {
            freshFor.put(check, FRESH);
        }
        return new ServiceStateMachine(policy, freshFor);
    }

    private static final ServiceStateMachine ONE_CHECK = machine(Policy.DEFAULT, "dns");

    /** The states of a one-check service that the table starts from, each reached through events. */
    private static ServiceState state(String name) {
        ServiceState initial = ServiceState.INITIAL;
        ServiceState healthy = ONE_CHECK.on(initial, completed(Health.healthy()), T0).state();
        ServiceState unhealthy = ONE_CHECK.on(healthy, completed(Health.unhealthy("down")), T0).state();
        return switch (name) {
            case "initial" -> initial;
            case "healthy" -> healthy;
            case "unhealthy" -> unhealthy;
            case "drained-healthy" -> ONE_CHECK.on(healthy, new ServiceEvent.Drain(), T0).state();
            case "drained-unhealthy" -> ONE_CHECK.on(unhealthy, new ServiceEvent.Drain(), T0).state();
            case "stopped" -> ONE_CHECK.on(healthy, new ServiceEvent.Stop(), T0).state();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Events of the table; "tick-stale" happens after the result went stale, the others at once. */
    private static ServiceEvent event(String name) {
        return switch (name) {
            case "healthy" -> completed(Health.healthy());
            case "unhealthy" -> completed(Health.unhealthy("down"));
            case "unknown" -> completed(Health.unknown("timeout"));
            case "tick", "tick-stale" -> new ServiceEvent.Tick();
            case "drain" -> new ServiceEvent.Drain();
            case "resume" -> new ServiceEvent.Resume();
            case "stop" -> new ServiceEvent.Stop();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static ServiceEvent.CheckCompleted completed(Health health) {
        return new ServiceEvent.CheckCompleted("dns", health);
    }

    @ParameterizedTest(name = "{0} + {1} -> announce={2}, changed={3}")
    @CsvSource({
        // state,            event,      announce, changed
        "initial,            healthy,    true,  true",
        "initial,            unhealthy,  false, false",
        "initial,            unknown,    false, false",
        "initial,            tick,       false, false",
        "initial,            tick-stale, false, false",
        "initial,            drain,      false, false",
        "initial,            resume,     false, false",
        "initial,            stop,       false, false",
        "healthy,            healthy,    true,  false",
        "healthy,            unhealthy,  false, true",
        "healthy,            unknown,    false, true",
        "healthy,            tick,       true,  false",
        "healthy,            tick-stale, false, true",
        "healthy,            drain,      false, true",
        "healthy,            resume,     true,  false",
        "healthy,            stop,       false, true",
        "unhealthy,          healthy,    true,  true",
        "unhealthy,          unhealthy,  false, false",
        "unhealthy,          unknown,    false, false",
        "unhealthy,          tick,       false, false",
        "unhealthy,          tick-stale, false, false",
        "unhealthy,          drain,      false, false",
        "unhealthy,          resume,     false, false",
        "unhealthy,          stop,       false, false",
        "drained-healthy,    healthy,    false, false",
        "drained-healthy,    unhealthy,  false, false",
        "drained-healthy,    unknown,    false, false",
        "drained-healthy,    tick,       false, false",
        "drained-healthy,    tick-stale, false, false",
        "drained-healthy,    drain,      false, false",
        "drained-healthy,    resume,     true,  true",
        "drained-healthy,    stop,       false, false",
        "drained-unhealthy,  healthy,    false, false",
        "drained-unhealthy,  unhealthy,  false, false",
        "drained-unhealthy,  unknown,    false, false",
        "drained-unhealthy,  tick,       false, false",
        "drained-unhealthy,  tick-stale, false, false",
        "drained-unhealthy,  drain,      false, false",
        "drained-unhealthy,  resume,     false, false",
        "drained-unhealthy,  stop,       false, false",
        "stopped,            healthy,    false, false",
        "stopped,            unhealthy,  false, false",
        "stopped,            unknown,    false, false",
        "stopped,            tick,       false, false",
        "stopped,            tick-stale, false, false",
        "stopped,            drain,      false, false",
        "stopped,            resume,     false, false",
        "stopped,            stop,       false, false",
    })
    void everyStateAndEventPairAnnouncesAsTheRulesSay(String state, String event, boolean announce, boolean changed) {
        Instant at = event.equals("tick-stale") ? T0.plus(FRESH).plusMillis(1) : T0;

        Transition transition = ONE_CHECK.on(state(state), event(event), at);

        assertThat(transition.announce()).isEqualTo(announce);
        assertThat(transition.changed()).isEqualTo(changed);
        assertThat(transition.state().announce()).isEqualTo(announce);
    }

    /** A one-check service with a when-down route policy and a graceful drain. */
    private static final ServiceStateMachine WITH_FORMS = new ServiceStateMachine(Policy.DEFAULT, Map.of("dns", FRESH), true, true);

    /** The states of a {@link #WITH_FORMS} service that the forms table starts from, each reached through events. */
    private static ServiceState formState(String name) {
        ServiceState initial = ServiceState.INITIAL;
        ServiceState healthy = WITH_FORMS.on(initial, completed(Health.healthy()), T0).state();
        ServiceState degraded = WITH_FORMS.on(healthy, completed(Health.unhealthy("down")), T0).state();
        ServiceState draining = WITH_FORMS.on(healthy, new ServiceEvent.Drain(), T0).state();
        return switch (name) {
            case "initial" -> initial;
            case "healthy" -> healthy;
            case "degraded" -> degraded;
            case "draining" -> draining;
            case "draining-down" -> WITH_FORMS.on(degraded, new ServiceEvent.Drain(), T0).state();
            case "drained" -> WITH_FORMS.on(draining, new ServiceEvent.HoldEnded(), T0).state();
            case "stopping-held" -> WITH_FORMS.on(healthy, new ServiceEvent.Stop(true), T0).state();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static ServiceEvent formEvent(String name) {
        return switch (name) {
            case "stop-graceful" -> new ServiceEvent.Stop(true);
            case "hold-ended" -> new ServiceEvent.HoldEnded();
            default -> event(name);
        };
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}, changed={3}")
    @CsvSource({
        // state,        event,         form,      changed
        "initial,        healthy,       NORMAL,    true",
        "initial,        unhealthy,     WHEN_DOWN, true",
        "initial,        tick,          WITHDRAWN, false",
        "initial,        drain,         WITHDRAWN, false",
        "initial,        stop-graceful, WITHDRAWN, false",
        "initial,        hold-ended,    WITHDRAWN, false",
        "healthy,        unhealthy,     WHEN_DOWN, true",
        "healthy,        unknown,       WHEN_DOWN, true",
        "healthy,        tick-stale,    WHEN_DOWN, true",
        "healthy,        drain,         DRAINING,  true",
        "healthy,        stop,          WITHDRAWN, true",
        "healthy,        stop-graceful, DRAINING,  true",
        "healthy,        hold-ended,    NORMAL,    false",
        "healthy,        resume,        NORMAL,    false",
        "degraded,       healthy,       NORMAL,    true",
        "degraded,       unhealthy,     WHEN_DOWN, false",
        "degraded,       drain,         DRAINING,  true",
        "degraded,       stop,          WITHDRAWN, true",
        "degraded,       stop-graceful, DRAINING,  true",
        "draining,       healthy,       DRAINING,  false",
        "draining,       unhealthy,     DRAINING,  false",
        "draining,       drain,         DRAINING,  false",
        "draining,       hold-ended,    WITHDRAWN, true",
        "draining,       resume,        NORMAL,    true",
        "draining,       stop,          DRAINING,  false",
        "draining,       stop-graceful, DRAINING,  false",
        "draining-down,  hold-ended,    WITHDRAWN, true",
        "draining-down,  resume,        WHEN_DOWN, true",
        "drained,        healthy,       WITHDRAWN, false",
        "drained,        drain,         WITHDRAWN, false",
        "drained,        resume,        NORMAL,    true",
        "drained,        hold-ended,    WITHDRAWN, false",
        "drained,        stop-graceful, WITHDRAWN, false",
        "stopping-held,  hold-ended,    WITHDRAWN, true",
        "stopping-held,  resume,        DRAINING,  false",
        "stopping-held,  healthy,       DRAINING,  false",
        "stopping-held,  drain,         DRAINING,  false",
    })
    void everyFormStateAndEventPairGivesTheFormTheRulesSay(String state, String event, Form form, boolean changed) {
        Instant at = event.equals("tick-stale") ? T0.plus(FRESH).plusMillis(1) : T0;

        Transition transition = WITH_FORMS.on(formState(state), formEvent(event), at);

        assertThat(transition.form()).isEqualTo(form);
        assertThat(transition.changed()).isEqualTo(changed);
        assertThat(WITH_FORMS.form(transition.state())).isEqualTo(form);
    }

    @Test
    void aDrainHoldsFromTheFormThatWasAnnounced() {
        ServiceState degraded = formState("draining-down");

        assertThat(degraded.heldFrom()).isEqualTo(Form.WHEN_DOWN);
        assertThat(formState("draining").heldFrom()).isEqualTo(Form.NORMAL);
    }

    @Test
    void withoutAWhenDownPolicyAnUnhealthyServiceIsWithdrawnAndADrainWithoutGracefulDrainDoesNotHold() {
        ServiceState healthy = ONE_CHECK.on(ServiceState.INITIAL, completed(Health.healthy()), T0).state();

        assertThat(ONE_CHECK.on(healthy, completed(Health.unhealthy("down")), T0).form()).isEqualTo(Form.WITHDRAWN);
        assertThat(ONE_CHECK.on(healthy, new ServiceEvent.Drain(), T0).form()).isEqualTo(Form.WITHDRAWN);
        assertThat(ONE_CHECK.on(healthy, new ServiceEvent.Stop(true), T0).form()).isEqualTo(Form.WITHDRAWN);
    }

    @Test
    void aServiceWhoseChecksHaveNotAllReportedIsWithdrawnNotDegraded() {
        ServiceStateMachine twoChecks = new ServiceStateMachine(Policy.DEFAULT,
                new LinkedHashMap<>(Map.of("dns", FRESH, "ntp", FRESH)), true, false);

        Transition transition = twoChecks.on(ServiceState.INITIAL, new ServiceEvent.CheckCompleted("dns", Health.unhealthy("down")), T0);

        assertThat(transition.form()).isEqualTo(Form.WITHDRAWN);
    }

    @Test
    void announcesOnlyWhenEveryCheckHasAHealthyResult() {
        ServiceStateMachine machine = machine(Policy.DEFAULT, "ntp_v6", "ntp_v4");

        Transition first = machine.on(ServiceState.INITIAL, new ServiceEvent.CheckCompleted("ntp_v6", Health.healthy()), T0);
        Transition second = machine.on(first.state(), new ServiceEvent.CheckCompleted("ntp_v4", Health.healthy()), T0);

        assertThat(first.announce()).isFalse();
        assertThat(first.reason()).isEqualTo("check ntp_v4 has no result yet");
        assertThat(second.announce()).isTrue();
        assertThat(second.reason()).isEqualTo("all checks healthy");
    }

    @Test
    void oneFailingCheckWithdrawsAndNamesTheCheckAndItsReason() {
        ServiceStateMachine machine = machine(Policy.DEFAULT, "ntp_v6", "ntp_v4");
        ServiceState healthy = machine.on(machine.on(ServiceState.INITIAL,
                new ServiceEvent.CheckCompleted("ntp_v6", Health.healthy()), T0).state(),
                new ServiceEvent.CheckCompleted("ntp_v4", Health.healthy()), T0).state();

        Transition transition = machine.on(healthy, new ServiceEvent.CheckCompleted("ntp_v4", Health.unknown("connection refused")), T0);

        assertThat(transition.changed()).isTrue();
        assertThat(transition.announce()).isFalse();
        assertThat(transition.reason()).isEqualTo("check ntp_v4: unknown: connection refused");
    }

    @Test
    void aStaleResultOfAnotherCheckMakesAnEvaluationUnhealthy() {
        ServiceStateMachine machine = machine(Policy.DEFAULT, "a", "b");
        ServiceState state = machine.on(ServiceState.INITIAL, new ServiceEvent.CheckCompleted("a", Health.healthy()), T0).state();

        Transition late = machine.on(state, new ServiceEvent.CheckCompleted("b", Health.healthy()), T0.plus(FRESH).plusSeconds(1));

        assertThat(late.announce()).isFalse();
        assertThat(late.reason()).startsWith("check a result is stale: 16000 ms old, fresh for 15000 ms");
    }

    @Test
    void announcesAfterRiseConsecutiveHealthyEvaluations() {
        ServiceStateMachine machine = machine(new Policy(3, 1), "dns");
        ServiceState state = ServiceState.INITIAL;

        boolean[] announced = new boolean[4];
        for (int i = 0; i < 4; i++) {
            Transition transition = machine.on(state, completed(Health.healthy()), T0);
            state = transition.state();
            announced[i] = transition.announce();
        }

        assertThat(announced).containsExactly(false, false, true, true);
    }

    @Test
    void anUnhealthyEvaluationRestartsTheRiseCount() {
        ServiceStateMachine machine = machine(new Policy(2, 1), "dns");
        ServiceState state = machine.on(ServiceState.INITIAL, completed(Health.healthy()), T0).state();
        state = machine.on(state, completed(Health.unhealthy("flap")), T0).state();

        Transition afterOne = machine.on(state, completed(Health.healthy()), T0);

        assertThat(afterOne.announce()).isFalse();
        assertThat(machine.on(afterOne.state(), completed(Health.healthy()), T0).announce()).isTrue();
    }

    @Test
    void withdrawsAfterFallConsecutiveFailures() {
        ServiceStateMachine machine = machine(new Policy(1, 2), "dns");
        ServiceState healthy = machine.on(ServiceState.INITIAL, completed(Health.healthy()), T0).state();

        Transition first = machine.on(healthy, completed(Health.unhealthy("down")), T0);
        Transition second = machine.on(first.state(), completed(Health.unhealthy("down")), T0);

        assertThat(first.announce()).isTrue();
        assertThat(first.changed()).isFalse();
        assertThat(second.announce()).isFalse();
        assertThat(second.changed()).isTrue();
    }

    @Test
    void aStaleTickWithdrawsAtOnceWhateverFallSays() {
        ServiceStateMachine machine = machine(new Policy(1, 5), "dns");
        ServiceState healthy = machine.on(ServiceState.INITIAL, completed(Health.healthy()), T0).state();

        Transition tick = machine.on(healthy, new ServiceEvent.Tick(), T0.plus(FRESH).plusMillis(1));

        assertThat(tick.changed()).isTrue();
        assertThat(tick.announce()).isFalse();
        assertThat(tick.reason()).contains("result is stale");
    }

    @Test
    void aResultExactlyAtItsFreshnessBoundIsStillFresh() {
        ServiceState healthy = ONE_CHECK.on(ServiceState.INITIAL, completed(Health.healthy()), T0).state();

        assertThat(ONE_CHECK.on(healthy, new ServiceEvent.Tick(), T0.plus(FRESH)).announce()).isTrue();
    }

    @Test
    void healthKeepsBeingTrackedWhileDrained() {
        ServiceState drained = ONE_CHECK.on(ServiceState.INITIAL, new ServiceEvent.Drain(), T0).state();
        ServiceState healthyWhileDrained = ONE_CHECK.on(drained, completed(Health.healthy()), T0).state();

        Transition resume = ONE_CHECK.on(healthyWhileDrained, new ServiceEvent.Resume(), T0);

        assertThat(healthyWhileDrained.healthy()).isTrue();
        assertThat(resume.announce()).isTrue();
        assertThat(resume.changed()).isTrue();
    }

    @Test
    void theDefaultFreshnessBoundIsTwoIntervalsAndATimeout() {
        var check = new dev.anycastd.core.check.HealthCheck() {
            @Override
            public String name() {
                return "dns";
            }

            @Override
            public Duration interval() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Health check() {
                return Health.healthy();
            }
        };

        assertThat(ServiceStateMachine.freshnessBound(check)).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void aResultOfACheckTheServiceDoesNotHaveIsAProgrammingError() {
        assertThatThrownBy(() -> ONE_CHECK.on(ServiceState.INITIAL, new ServiceEvent.CheckCompleted("ntp", Health.healthy()), T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no check named \"ntp\"");
    }

    private static Policy requiring(Requirement require, String... guards) {
        return new Policy(1, 1, require, Set.of(guards));
    }

    /** Feeds one result per check, in order, all at {@code at}; "h" healthy, "u" unhealthy, "?" unknown, "-" none. */
    private static Transition results(ServiceStateMachine machine, String pattern, String... checks) {
        ServiceState state = ServiceState.INITIAL;
        Transition last = null;
        for (int i = 0; i < checks.length; i++) {
            char result = pattern.charAt(i);
            Health health = result == 'h' ? Health.healthy() : result == 'u' ? Health.unhealthy("down " + checks[i])
                    : Health.unknown("timeout");
            if (result != '-') {
                last = machine.on(state, new ServiceEvent.CheckCompleted(checks[i], health), T0);
                state = last.state();
            }
        }
        return machine.on(state, new ServiceEvent.Tick(), T0);
    }

    @ParameterizedTest(name = "require {0} with results {1} -> announce={2}")
    @CsvSource({
        // require, results (a b c), announce
        "all,   hhh, true",
        "all,   hhu, false",
        "any,   uuh, true",
        "any,   uu?, false",
        "any,   --h, true",
        "any,   ---, false",
        "2,     hu?, false",
        "2,     h-h, true",
        "3,     hhh, true",
        "3,     hh?, false",
        "33%,   huu, true",
        "34%,   huu, false",
        "34%,   uuu, false",
        "50%,   huu, false",
        "50%,   hhu, true",
        "67%,   hhu, false",
        "100%,  hhu, false",
        "100%,  hhh, true",
        "1%,    uuh, true",
    })
    void requireCountsPassingChecksAndCountsUnknownAndMissingResultsAsFailing(String require, String results, boolean announce) {
        ServiceStateMachine machine = machine(requiring(parse(require)), "a", "b", "c");

        assertThat(results(machine, results, "a", "b", "c").announce()).isEqualTo(announce);
    }

    private static Requirement parse(String require) {
        if (require.equals("all")) {
            return Requirement.ALL;
        }
        if (require.equals("any")) {
            return Requirement.ANY;
        }
        return require.endsWith("%") ? new Requirement.Percent(Integer.parseInt(require.replace("%", "")))
                : new Requirement.AtLeast(Integer.parseInt(require));
    }

    @Test
    void aPercentageIsRoundedUpToAWholeCheck() {
        assertThat(new Requirement.Percent(50).needed(3)).isEqualTo(2);
        assertThat(new Requirement.Percent(1).needed(3)).isEqualTo(1);
        assertThat(new Requirement.Percent(100).needed(3)).isEqualTo(3);
        assertThat(new Requirement.Percent(34).needed(3)).isEqualTo(2);
        assertThat(new Requirement.Percent(33).needed(3)).isEqualTo(1);
        assertThat(new Requirement.Percent(50).describe(3)).isEqualTo("50% (2 of 3)");
    }

    @Test
    void aCountingRequirementSaysHowManyPassAndWhichFailWithTheirReasons() {
        ServiceStateMachine machine = machine(requiring(new Requirement.AtLeast(2)), "a", "b", "c");

        Transition transition = results(machine, "u?h", "a", "b", "c");

        assertThat(transition.announce()).isFalse();
        assertThat(transition.reason()).isEqualTo("1 of 3 checks pass, 2 required; failing: a (unhealthy: down a), b (unknown: timeout)");
        assertThat(transition.cause()).isEqualTo(TransitionCause.CHECK_UNHEALTHY);
    }

    @Test
    void anyAnnouncesWithOneCheckPassingAndSaysWhichOthersFail() {
        ServiceStateMachine machine = machine(requiring(Requirement.ANY), "a", "b");

        Transition transition = results(machine, "uh", "a", "b");

        assertThat(transition.announce()).isTrue();
        assertThat(transition.reason()).isEqualTo("1 of 2 checks pass, 1 required; failing: a (unhealthy: down a)");
        assertThat(transition.cause()).isEqualTo(TransitionCause.CHECKS_HEALTHY);
    }

    @Test
    void aStaleResultCountsAsFailingUnderAnyAndATickWithdrawsAtOnceWhateverFall() {
        ServiceStateMachine machine = machine(new Policy(1, 5, Requirement.ANY, Set.of()), "a", "b");
        ServiceState state = machine.on(ServiceState.INITIAL, new ServiceEvent.CheckCompleted("a", Health.healthy()), T0).state();
        state = machine.on(state, new ServiceEvent.CheckCompleted("b", Health.unhealthy("down")), T0).state();
        assertThat(state.announce()).isTrue();

        Transition tick = machine.on(state, new ServiceEvent.Tick(), T0.plus(FRESH).plusMillis(1));

        assertThat(tick.announce()).isFalse();
        assertThat(tick.reason()).isEqualTo("0 of 2 checks pass, 1 required; failing: a (stale: 15001 ms old, fresh for 15000 ms),"
                + " b (unhealthy: down)");
        assertThat(tick.cause()).isEqualTo(TransitionCause.CHECK_STALE);
    }

    @Test
    void aGuardMustPassWhateverTheRequirementAndIsNotCounted() {
        ServiceStateMachine machine = machine(requiring(Requirement.ANY, "local"), "a", "b", "local");

        Transition withoutAddress = results(machine, "hhu", "a", "b", "local");
        Transition withAddress = results(machine, "uhh", "a", "b", "local");

        assertThat(withoutAddress.announce()).isFalse();
        assertThat(withoutAddress.reason()).isEqualTo("check local: unhealthy: down local");
        assertThat(withAddress.announce()).isTrue();
        assertThat(withAddress.reason()).isEqualTo("1 of 2 checks pass, 1 required; failing: a (unhealthy: down a)");
    }

    @Test
    void underAllAGuardIsOneMoreCheckAndTheReasonIsTheOriginalOne() {
        ServiceStateMachine machine = machine(requiring(Requirement.ALL, "local"), "a", "local");

        assertThat(results(machine, "hu", "a", "local").reason()).isEqualTo("check local: unhealthy: down local");
        assertThat(results(machine, "hh", "a", "local").reason()).isEqualTo("all checks healthy");
    }
}
