package dev.anycastd.core.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.service.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
}
