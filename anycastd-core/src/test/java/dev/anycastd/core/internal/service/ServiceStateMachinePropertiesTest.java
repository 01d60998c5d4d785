package dev.anycastd.core.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.service.Policy;
import dev.anycastd.core.service.Requirement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Rise and fall, checked on random sequences of check results against a plain reading of the rules. */
class ServiceStateMachinePropertiesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Property
    void announcementChangesOnlyAfterRiseOrFallEqualResultsInARow(
            @ForAll @IntRange(min = 1, max = 5) int rise,
            @ForAll @IntRange(min = 1, max = 5) int fall,
            @ForAll @Size(max = 60) List<Boolean> results) {
        ServiceStateMachine machine = new ServiceStateMachine(new Policy(rise, fall), Map.of("check", Duration.ofSeconds(10)));
        ServiceState state = ServiceState.INITIAL;
        boolean announced = false;
        int healthyRun = 0;
        int unhealthyRun = 0;
        for (boolean healthy : results) {
            Health health = healthy ? Health.healthy() : Health.unhealthy("down");
            Transition transition = machine.on(state, new ServiceEvent.CheckCompleted("check", health), NOW);
            healthyRun = healthy ? healthyRun + 1 : 0;
            unhealthyRun = healthy ? 0 : unhealthyRun + 1;
            boolean expected = announced ? unhealthyRun < fall : healthyRun >= rise;

            assertThat(transition.announce()).isEqualTo(expected);
            assertThat(transition.changed()).isEqualTo(expected != announced);
            announced = expected;
            state = transition.state();
        }
    }

    @Property
    void neverAnnouncesWithoutAHealthyLatestResult(
            @ForAll @IntRange(min = 1, max = 5) int fall,
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 2) Integer> results) {
        ServiceStateMachine machine = new ServiceStateMachine(new Policy(1, fall), Map.of("check", Duration.ofSeconds(10)));
        ServiceState state = ServiceState.INITIAL;
        int unhealthyRun = 0;
        for (int result : results) {
            Health health = result == 0 ? Health.healthy() : result == 1 ? Health.unhealthy("down") : Health.unknown("timeout");
            Transition transition = machine.on(state, new ServiceEvent.CheckCompleted("check", health), NOW);
            unhealthyRun = result == 0 ? 0 : unhealthyRun + 1;

            if (transition.announce()) {
                assertThat(unhealthyRun).isLessThan(fall);
            }
            if (fall == 1) {
                assertThat(transition.announce()).isEqualTo(result == 0);
            }
            state = transition.state();
        }
    }

    @Property
    void withRiseAndFallOneAServiceIsAnnouncedExactlyWhenEnoughOfItsLatestResultsAreHealthy(
            @ForAll @IntRange(min = 1, max = 6) int checks,
            @ForAll @IntRange(min = 0, max = 3) int kind,
            @ForAll @IntRange(min = 1, max = 100) int amount,
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 17) Integer> results) {
        Requirement require = switch (kind) {
            case 0 -> Requirement.ALL;
            case 1 -> Requirement.ANY;
            case 2 -> new Requirement.AtLeast(1 + amount % checks);
            default -> new Requirement.Percent(amount);
        };
        Map<String, Duration> freshFor = new LinkedHashMap<>();
        for (int i = 0; i < checks; i++) {
            freshFor.put("c" + i, Duration.ofSeconds(10));
        }
        ServiceStateMachine machine = new ServiceStateMachine(new Policy(1, 1, require, Set.of()), freshFor);
        ServiceState state = ServiceState.INITIAL;
        Map<String, Boolean> latest = new LinkedHashMap<>();
        for (int result : results) {
            String check = "c" + (result / 3) % checks;
            Health health = result % 3 == 0 ? Health.healthy() : result % 3 == 1 ? Health.unhealthy("down") : Health.unknown("timeout");
            latest.put(check, result % 3 == 0);
            Transition transition = machine.on(state, new ServiceEvent.CheckCompleted(check, health), NOW);
            long passing = latest.values().stream().filter(Boolean::booleanValue).count();

            assertThat(transition.announce()).as("%d passing of %d, %s", passing, checks, require)
                    .isEqualTo(passing >= require.needed(checks));
            state = transition.state();
        }
    }

    @Property
    void requiringAllIsRequiringEveryCheckByCountWithTheOriginalReasons(
            @ForAll @IntRange(min = 1, max = 4) int checks,
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 11) Integer> results) {
        Map<String, Duration> freshFor = new LinkedHashMap<>();
        for (int i = 0; i < checks; i++) {
            freshFor.put("c" + i, Duration.ofSeconds(10));
        }
        ServiceStateMachine all = new ServiceStateMachine(Policy.DEFAULT, freshFor);
        ServiceStateMachine counted = new ServiceStateMachine(new Policy(1, 1, new Requirement.AtLeast(checks), Set.of()), freshFor);
        ServiceState allState = ServiceState.INITIAL;
        ServiceState countedState = ServiceState.INITIAL;
        for (int result : results) {
            ServiceEvent event = new ServiceEvent.CheckCompleted("c" + (result / 3) % checks,
                    result % 3 == 0 ? Health.healthy() : Health.unhealthy("down"));
            Transition byAll = all.on(allState, event, NOW);
            Transition byCount = counted.on(countedState, event, NOW);

            assertThat(byAll.announce()).isEqualTo(byCount.announce());
            assertThat(byAll.reason()).matches("all checks healthy|check c\\d+( has no result yet|: unhealthy: down)");
            allState = byAll.state();
            countedState = byCount.state();
        }
    }
}
