package dev.anycastd.examples.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.testkit.contract.HealthCheckContract;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exec check honours the health check contract, proven with real programs. */
class ExecCheckTest extends HealthCheckContract {

    private static HealthCheck exec(Duration timeout, String... command) {
        return new ExecCheck("test", List.of(command), Duration.ofSeconds(5), timeout);
    }

    @Override
    protected HealthCheck healthyCheck() {
        return exec(Duration.ofSeconds(5), "/bin/sh", "-c", "exit 0");
    }

    @Override
    protected HealthCheck failingCheck() {
        return exec(Duration.ofSeconds(5), "/bin/sh", "-c", "echo 'no answer from 127.0.0.1'; exit 3");
    }

    @Override
    protected HealthCheck unreachableCheck() {
        return exec(Duration.ofSeconds(5), "/nonexistent/check-dns");
    }

    @Override
    protected HealthCheck slowCheck() {
        return exec(Duration.ofMillis(300), "/bin/sleep", "30");
    }

    @Test
    void theReasonCarriesTheExitCodeAndOutput() {
        assertThat(failingCheck().check()).isEqualTo(Health.unhealthy("/bin/sh exited 3: no answer from 127.0.0.1"));
    }

    @Test
    void argumentsReachTheProgramWithoutAShell() {
        HealthCheck check = exec(Duration.ofSeconds(5), "/bin/sh", "-c", "test \"$0\" = 'a b; exit 0'", "a b; exit 0");

        assertThat(check.check()).isEqualTo(Health.healthy());
    }

    @Test
    void aSlowCommandIsKilled() {
        assertThat(slowCheck().check()).isEqualTo(Health.unknown("/bin/sleep did not finish within 300 ms and was killed"));
    }
}
