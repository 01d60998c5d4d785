package dev.anycastd.examples.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.contract.ProviderContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecCheckProviderTest extends ProviderContract {

    private static final String PATH = "services.dns.checks.exec[0]";

    @Override
    protected Object provider() {
        return new ExecCheckProvider();
    }

    @Override
    protected Map<String, Object> validOptions() {
        return Map.of("command", "/usr/bin/dig", "arguments", List.of("@127.0.0.1", "check.local"));
    }

    @Test
    void defaultsTheNameToTheProgramAndTheTimeoutToTheInterval() throws ConfigurationException {
        HealthCheck check = new ExecCheckProvider().create(Options.of(PATH, Map.of("command", "/usr/bin/dig", "interval", 2L)));

        assertThat(check.name()).isEqualTo("dig");
        assertThat(check.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void rejectsARelativeCommand() {
        assertThatThrownBy(() -> new ExecCheckProvider().create(Options.of(PATH, Map.of("command", "dig"))))
                .hasMessage(PATH + ".command: \"dig\" is not an absolute path; give the full path of the program");
    }

    @Test
    void rejectsATimeoutLongerThanTheInterval() {
        assertThatThrownBy(() -> new ExecCheckProvider().create(
                Options.of(PATH, Map.of("command", "/usr/bin/dig", "interval", "1s", "timeout", "2s"))))
                .hasMessageStartingWith(PATH + ".timeout: 2000 ms is longer than the interval (1000 ms)");
    }
}
