package dev.anycastd.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.testkit.FakePrefix;
import dev.anycastd.testkit.FakeStateStore;
import dev.anycastd.testkit.ManualScheduler;
import dev.anycastd.testkit.ScriptedHealthCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's side of {@link AnycastRuntime}: status, drains that outlive the process,
 * check-now. Kept apart from {@code AnycastRuntimeTest}, which covers announcing and
 * withdrawing; time is the manual scheduler's, as there.
 */
class AnycastRuntimeOperatingTest {

    private final ManualScheduler time = new ManualScheduler();
    private final FakeStateStore store = new FakeStateStore();
    private final FakePrefix dnsPrefix = FakePrefix.of("203.0.113.53");
    private final ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
    private AnycastRuntime runtime;

    @AfterEach
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
    }

    private AnycastRuntime runtime() throws Exception {
        return AnycastRuntime.builder()
                .clock(time.clock())
                .executors(time, time)
                .reconcileInterval(Duration.ofSeconds(30))
                .stateStore(store, dev.anycastd.core.spi.Providers.of(List.of(), List.of()))
                .service(new ServiceDefinition("dns", List.<Prefix>of(dnsPrefix), List.of(dns)))
                .build();
    }

    @Test
    void statusSaysStateSinceWhyEachPrefixAtTheRouterAndEachChecksResultWithItsTime() throws Exception {
        dns.healthy();
        runtime = runtime();
        assertThat(runtime.status("dns").state()).isEqualTo(ServiceStatus.State.STARTING);

        runtime.start();
        Instant announcedAt = time.now();
        time.runDue();

        ServiceStatus status = runtime.status("dns");
        assertThat(status.state()).isEqualTo(ServiceStatus.State.ANNOUNCED);
        assertThat(status.since()).isEqualTo(announcedAt);
        assertThat(status.why()).isEqualTo("all checks healthy");
        assertThat(status.prefixes()).containsExactly(new ServiceStatus.PrefixStatus("203.0.113.53/32",
                dnsPrefix.describe(), Optional.of(true), Optional.of(announcedAt)));
        assertThat(status.results()).containsEntry("dns", new ServiceStatus.CheckResult(Health.healthy(), announcedAt));
        assertThat(status.asWanted()).isTrue();

        dns.unhealthy("SERVFAIL");
        time.advance(Duration.ofSeconds(1));

        status = runtime.status("dns");
        assertThat(status.state()).isEqualTo(ServiceStatus.State.WITHDRAWN);
        assertThat(status.since()).isEqualTo(announcedAt.plusSeconds(1));
        assertThat(status.why()).isEqualTo("check dns: unhealthy: SERVFAIL");
        assertThat(status.prefixes().get(0).announced()).contains(false);
        assertThat(status.asWanted()).isFalse();
    }

    @Test
    void theLastReconcileIsReported() throws Exception {
        dns.healthy();
        runtime = runtime();
        runtime.start();
        assertThat(runtime.lastReconcile()).isEmpty();

        time.advance(Duration.ofSeconds(30));

        assertThat(runtime.lastReconcile()).get().satisfies(outcome -> {
            assertThat(outcome.at()).isEqualTo(time.now());
            assertThat(outcome.read()).isEqualTo(1);
            assertThat(outcome.clean()).isTrue();
        });
    }

    @Test
    void aDrainWithAReasonIsRecordedBeforeItAppliesAndShownInStatus() throws Exception {
        dns.healthy();
        runtime = runtime();
        runtime.start();
        time.runDue();

        Drain drain = runtime.drain("dns", Optional.empty(), "kernel update");
        time.runDue();

        assertThat(store.recordedDrains()).containsEntry("dns", drain);
        assertThat(dnsPrefix.announced()).isFalse();
        ServiceStatus status = runtime.status("dns");
        assertThat(status.state()).isEqualTo(ServiceStatus.State.DRAINED);
        assertThat(status.why()).isEqualTo("drained by the operator: kernel update");
        assertThat(status.drain()).contains(drain);
        assertThat(status.asWanted()).as("the operator wants it withdrawn").isTrue();

        runtime.resume("dns");
        time.runDue();

        assertThat(store.recordedDrains()).isEmpty();
        assertThat(dnsPrefix.announced()).isTrue();
    }

    @Test
    void aRecordedDrainKeepsTheServiceWithdrawnAfterARestartNeverAnnouncingIt() throws Exception {
        dns.healthy();
        runtime = runtime();
        runtime.start();
        time.runDue();
        runtime.drain("dns", Optional.empty(), "maintenance");
        time.runDue();
        // No close(): the process is killed; the store outlives it.
        runtime = null;

        FakePrefix again = dnsPrefix;
        runtime = runtime();
        runtime.start();
        time.advance(Duration.ofSeconds(5));

        assertThat(again.history()).as("withdrawn at start, never announced").endsWith(FakePrefix.Operation.WITHDRAW)
                .containsOnlyOnce(FakePrefix.Operation.ANNOUNCE);
        assertThat(runtime.status("dns").state()).isEqualTo(ServiceStatus.State.DRAINED);
        assertThat(runtime.status("dns").why()).isEqualTo("drained by the operator: maintenance");
    }

    @Test
    void aDrainForADurationEndsByItselfAlsoAfterARestart() throws Exception {
        dns.healthy();
        runtime = runtime();
        runtime.start();
        time.runDue();
        runtime.drain("dns", Optional.of(Duration.ofMinutes(10)), "");
        time.advance(Duration.ofMinutes(5));
        assertThat(dnsPrefix.announced()).isFalse();
        runtime = null;

        runtime = runtime();
        runtime.start();
        time.advance(Duration.ofMinutes(4));
        assertThat(dnsPrefix.announced()).isFalse();

        time.advance(Duration.ofMinutes(1));

        assertThat(dnsPrefix.announced()).isTrue();
        assertThat(store.recordedDrains()).isEmpty();
    }

    @Test
    void aDrainThatRanOutWhileStoppedIsForgottenAtStart() throws Exception {
        dns.healthy();
        runtime = runtime();
        runtime.drain("dns", Optional.of(Duration.ofMinutes(1)), "");
        runtime = null;
        time.advance(Duration.ofMinutes(2));

        runtime = runtime();
        runtime.start();
        time.runDue();

        assertThat(dnsPrefix.announced()).isTrue();
        assertThat(store.recordedDrains()).isEmpty();
    }

    @Test
    void drainingAnUnknownServiceChangesNothing() throws Exception {
        runtime = runtime();

        assertThatThrownBy(() -> runtime.drain("ntp", Optional.empty(), "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no service named \"ntp\"; known: [dns]");
        assertThatThrownBy(() -> runtime.drain("dns", Optional.of(Duration.ZERO), "")).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.recordedDrains()).isEmpty();
    }

    @Test
    void checkNowRunsTheChecksAtOnceAndAnswersTheirResults() throws Exception {
        dns.healthy();
        runtime = runtime();
        runtime.start();
        time.runDue();
        int runs = dns.runs();
        dns.unhealthy("SERVFAIL");

        CompletableFuture<Map<String, Map<String, Health>>> results = runtime.checkNow(List.of());
        time.runDue();

        assertThat(results).isCompletedWithValue(Map.of("dns", Map.of("dns", Health.unhealthy("SERVFAIL"))));
        assertThat(dns.runs()).isEqualTo(runs + 1);
        assertThat(dnsPrefix.announced()).as("the result counts like any other").isFalse();
        assertThatThrownBy(() -> runtime.checkNow(List.of("ntp"))).isInstanceOf(IllegalArgumentException.class);
    }
}
