package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.testkit.FakePrefix;
import dev.anycastd.testkit.ScriptedHealthCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceListingTest {

    @Test
    void listsTheSettingsACheckGivesInsteadOfItsTimeout() {
        HealthCheck check = new HealthCheck() {
            @Override
            public String name() {
                return "dns";
            }

            @Override
            public Duration interval() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration timeout() {
                return Duration.ofMillis(1200);
            }

            @Override
            public String describe() {
                return "tcp dns 127.0.0.1:53";
            }

            @Override
            public List<String> settings() {
                return List.of("timeout 1s", "max-age 30s");
            }

            @Override
            public Health check() {
                return Health.healthy();
            }
        };

        assertThat(checksLine(check)).as("the check's own description: its type, name and target")
                .isEqualTo("  checks:   tcp dns 127.0.0.1:53 every 1s (timeout 1s, max-age 30s)");
    }

    @Test
    void listsTheTimeoutOfACheckWithoutSettingsWhenItIsNotTheInterval() {
        assertThat(checksLine(new ScriptedHealthCheck("dns", Duration.ofMillis(1500), Duration.ofMillis(250))))
                .isEqualTo("  checks:   dns every 1.5s (timeout 250ms)");
        assertThat(checksLine(new ScriptedHealthCheck("dns", Duration.ofMinutes(2))))
                .isEqualTo("  checks:   dns every 120s");
    }

    @Test
    void listsWhatDownAndDrainMeanForEachService() {
        ServiceDefinition plain = new ServiceDefinition("ntp", List.of(FakePrefix.of("203.0.113.123")),
                List.of(new ScriptedHealthCheck("ntp", Duration.ofSeconds(1))));
        ServiceDefinition forms = new ServiceDefinition("dns", List.of(FakePrefix.of("203.0.113.53"), FakePrefix.of("203.0.113.54")),
                List.of(new ScriptedHealthCheck("dns", Duration.ofSeconds(1))), dev.anycastd.core.service.Policy.DEFAULT, "",
                List.of(new dev.anycastd.core.service.WhenDown.Through("LAST-RESORT"), dev.anycastd.core.service.WhenDown.WITHDRAW),
                java.util.Optional.of(new dev.anycastd.core.service.GracefulDrain(Duration.ofSeconds(30), "GSHUT")));

        String listing = ServiceListing.of(Path.of("/c.toml"), List.of(plain, forms));

        assertThat(listing).contains("service ntp\n", "  when down: withdraw\n  drain:    withdraw at once\n",
                "  when down: 203.0.113.53/32 through route-map LAST-RESORT, 203.0.113.54/32 withdraw\n"
                        + "  drain:    hold 30s through route-map GSHUT, then withdraw\n");
    }

    private static String checksLine(HealthCheck check) {
        String listing = ServiceListing.of(Path.of("/c.toml"),
                List.of(new ServiceDefinition("dns", List.of(FakePrefix.of("203.0.113.53/32")), List.of(check))));
        return listing.lines().filter(line -> line.startsWith("  checks:")).findFirst().orElseThrow();
    }
}
