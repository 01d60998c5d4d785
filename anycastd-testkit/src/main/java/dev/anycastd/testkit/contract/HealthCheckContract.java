package dev.anycastd.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link HealthCheck} must honour, as JUnit 5 tests: a failing, unreachable
 * or slow check is a value, never an exception, and a slow one gives up at its timeout. A
 * plugin author extends this class and supplies checks in each situation.
 */
public abstract class HealthCheckContract {

    /** A check whose target is healthy now. */
    protected abstract HealthCheck healthyCheck() throws Exception;

    /** A check whose target runs and fails now. */
    protected abstract HealthCheck failingCheck() throws Exception;

    /** A check that cannot reach what it checks (refused connection, missing program, ...). */
    protected abstract HealthCheck unreachableCheck() throws Exception;

    /** A check whose target answers only after much longer than the check's timeout. */
    protected abstract HealthCheck slowCheck() throws Exception;

    @Test
    void aHealthyTargetIsHealthy() throws Exception {
        assertThat(healthyCheck().check()).isEqualTo(Health.healthy());
    }

    @Test
    void aFailingTargetIsUnhealthyWithAReason() throws Exception {
        assertThat(failingCheck().check()).isInstanceOfSatisfying(Health.Unhealthy.class,
                unhealthy -> assertThat(unhealthy.reason()).isNotBlank());
    }

    @Test
    void anUnreachableTargetIsUnknownNotAnException() throws Exception {
        assertThat(unreachableCheck().check()).isInstanceOfSatisfying(Health.Unknown.class,
                unknown -> assertThat(unknown.error()).isNotBlank());
    }

    @Test
    void aSlowTargetIsUnknownSoonAfterTheTimeout() throws Exception {
        HealthCheck check = slowCheck();
        // Generous bound: the contract is "gives up at its timeout", not a benchmark.
        Duration bound = check.timeout().multipliedBy(3).plusSeconds(2);

        Health health = assertTimeoutPreemptively(bound, check::check);

        assertThat(health).isInstanceOf(Health.Unknown.class);
    }

    @Test
    void aCheckHasANameAPositiveIntervalAndATimeout() throws Exception {
        HealthCheck check = healthyCheck();

        assertThat(check.name()).isNotBlank();
        assertThat(check.interval()).isPositive();
        assertThat(check.timeout()).isPositive();
    }
}
