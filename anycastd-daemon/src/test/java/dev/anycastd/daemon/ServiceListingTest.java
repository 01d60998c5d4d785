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
            public List<String> settings() {
                return List.of("timeout 1s", "max-age 30s");
            }

            @Override
            public Health check() {
                return Health.healthy();
            }
        };

        assertThat(checksLine(check)).isEqualTo("  checks:   dns every 1s (timeout 1s, max-age 30s)");
    }

    @Test
    void listsTheTimeoutOfACheckWithoutSettingsWhenItIsNotTheInterval() {
        assertThat(checksLine(new ScriptedHealthCheck("dns", Duration.ofMillis(1500), Duration.ofMillis(250))))
                .isEqualTo("  checks:   dns every 1.5s (timeout 250ms)");
        assertThat(checksLine(new ScriptedHealthCheck("dns", Duration.ofMinutes(2))))
                .isEqualTo("  checks:   dns every 120s");
    }

    private static String checksLine(HealthCheck check) {
        String listing = ServiceListing.of(Path.of("/c.toml"),
                List.of(new ServiceDefinition("dns", List.of(FakePrefix.of("203.0.113.53/32")), List.of(check))));
        return listing.lines().filter(line -> line.startsWith("  checks:")).findFirst().orElseThrow();
    }
}
