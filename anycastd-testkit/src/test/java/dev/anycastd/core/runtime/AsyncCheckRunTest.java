package dev.anycastd.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.testkit.FakePrefix;
import dev.anycastd.testkit.ManualScheduler;
import dev.anycastd.testkit.ScriptedHealthCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the runtime runs checks that implement {@link HealthCheck#checkAsync()}, and how it
 * spreads the first runs of many checks. Time is the manual scheduler's; checks and prefix
 * operations run on it too, so a run that held a worker would show as a run that never ends.
 */
class AsyncCheckRunTest {

    private final ManualScheduler time = new ManualScheduler();
    private AnycastRuntime runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private AnycastRuntime.Builder builder() {
        return AnycastRuntime.builder().clock(time.clock()).executors(time, time).reconcileInterval(Duration.ofSeconds(30));
    }

    @Test
    void aResultReachesTheServiceWhenTheStageCompletesNotWhenTheRunStarted() {
        AsyncCheck check = new AsyncCheck("tcp", Duration.ofSeconds(1), Duration.ofMillis(800));
        FakePrefix prefix = FakePrefix.of("192.0.2.1");
        runtime = builder().service(new ServiceDefinition("web", List.of(prefix), List.of(check))).build();

        runtime.start();
        time.runDue();
        assertThat(check.runs()).hasSize(1);
        assertThat(prefix.announced()).isFalse();

        check.runs().get(0).complete(Health.healthy());
        time.runDue();

        assertThat(prefix.announced()).isTrue();
    }

    @Test
    void aPendingRunHoldsNoWorkerSoOtherChecksRunMeanwhile() {
        AsyncCheck waiting = new AsyncCheck("tcp", Duration.ofSeconds(5), Duration.ofSeconds(4));
        ScriptedHealthCheck other = new ScriptedHealthCheck("other", Duration.ofSeconds(1));
        other.healthy();
        FakePrefix otherPrefix = FakePrefix.of("192.0.2.2");
        runtime = builder()
                .service(new ServiceDefinition("web", List.of(FakePrefix.of("192.0.2.1")), List.of(waiting)))
                .service(new ServiceDefinition("dns", List.of(otherPrefix), List.of(other)))
                .build();

        runtime.start();
        time.advance(Duration.ofSeconds(3));

        assertThat(waiting.runs()).hasSize(1);
        assertThat(other.runs()).isEqualTo(4);
        assertThat(otherPrefix.announced()).isTrue();
    }

    @Test
    void aRunPastItsTimeoutIsUnknownItsStageCancelledAndTheNextRunStartsOnTime() {
        AsyncCheck check = new AsyncCheck("tcp", Duration.ofSeconds(1), Duration.ofMillis(500));
        runtime = builder().service(new ServiceDefinition("web", List.of(FakePrefix.of("192.0.2.1")), List.of(check))).build();

        runtime.start();
        time.advance(Duration.ofMillis(500));

        assertThat(runtime.status("web").checks().get("tcp")).isEqualTo(Health.unknown("check did not finish within 500 ms"));
        assertThat(check.runs().get(0)).isCancelled();

        time.advance(Duration.ofMillis(500));

        assertThat(check.runs()).hasSize(2);
    }

    @Test
    void runsOfOneCheckNeverOverlap() {
        AsyncCheck check = new AsyncCheck("tcp", Duration.ofMillis(100), Duration.ofMillis(80));
        runtime = builder().service(new ServiceDefinition("web", List.of(FakePrefix.of("192.0.2.1")), List.of(check))).build();
        runtime.start();
        time.runDue();

        for (int step = 0; step < 25; step++) {
            time.advance(Duration.ofMillis(20));
            assertThat(check.pending()).as("runs under way after %d ms", 20 * (step + 1)).isLessThanOrEqualTo(1);
        }

        // One run per interval, each cancelled at its timeout before the next began.
        assertThat(check.runs()).hasSize(6);
    }

    @Test
    void aStageCompletedExceptionallyIsUnknown() {
        AsyncCheck check = new AsyncCheck("tcp", Duration.ofSeconds(1), Duration.ofMillis(800));
        runtime = builder().service(new ServiceDefinition("web", List.of(FakePrefix.of("192.0.2.1")), List.of(check))).build();
        runtime.start();
        time.runDue();

        check.runs().get(0).completeExceptionally(new IllegalStateException("selector closed"));

        assertThat(runtime.status("web").checks().get("tcp"))
                .isEqualTo(Health.unknown("check failed: java.lang.IllegalStateException: selector closed"));
    }

    @Test
    void aCheckWithoutCheckAsyncStillRunsThroughCheck() {
        ScriptedHealthCheck old = new ScriptedHealthCheck("old", Duration.ofSeconds(1));
        old.healthy();
        FakePrefix prefix = FakePrefix.of("192.0.2.1");
        runtime = builder().service(new ServiceDefinition("web", List.of(prefix), List.of(old))).build();

        runtime.start();
        time.runDue();

        assertThat(old.runs()).isEqualTo(1);
        assertThat(prefix.announced()).isTrue();
    }

    @Test
    void spreadChecksStartWithinASecondButNotAllAtOnce() {
        List<ScriptedHealthCheck> checks = new ArrayList<>();
        AnycastRuntime.Builder builder = builder().spreadChecks(true);
        for (int i = 0; i < 20; i++) {
            ScriptedHealthCheck check = new ScriptedHealthCheck("c" + i, Duration.ofSeconds(10));
            check.healthy();
            checks.add(check);
            builder.service(new ServiceDefinition("s" + i, List.of(FakePrefix.of("192.0.2." + (i + 1))), List.of(check)));
        }
        runtime = builder.build();

        runtime.start();
        time.runDue();
        // Twenty random delays below a second are all zero with a probability of nothing.
        assertThat(checks.stream().filter(check -> check.runs() == 0)).isNotEmpty();

        time.advance(Duration.ofSeconds(1));

        assertThat(checks).allSatisfy(check -> assertThat(check.runs()).isEqualTo(1));
    }

    /** A check whose runs complete when the test completes their futures. */
    private static final class AsyncCheck implements HealthCheck {
        private final String name;
        private final Duration interval;
        private final Duration timeout;
        private final List<CompletableFuture<Health>> runs = new CopyOnWriteArrayList<>();

        AsyncCheck(String name, Duration interval, Duration timeout) {
            this.name = name;
            this.interval = interval;
            this.timeout = timeout;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Duration interval() {
            return interval;
        }

        @Override
        public Duration timeout() {
            return timeout;
        }

        @Override
        public Health check() {
            throw new AssertionError("the runtime should call checkAsync()");
        }

        @Override
        public CompletionStage<Health> checkAsync() {
            CompletableFuture<Health> run = new CompletableFuture<>();
            runs.add(run);
            return run;
        }

        List<CompletableFuture<Health>> runs() {
            return runs;
        }

        long pending() {
            return runs.stream().filter(run -> !run.isDone()).count();
        }
    }
}
