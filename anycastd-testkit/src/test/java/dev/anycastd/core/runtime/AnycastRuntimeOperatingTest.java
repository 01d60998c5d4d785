package dev.anycastd.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.service.Policy;
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

    private static ServiceDefinition definition(String name, FakePrefix prefix, ScriptedHealthCheck check, String fingerprint) {
        return new ServiceDefinition(name, List.<Prefix>of(prefix), List.of(check), Policy.DEFAULT, fingerprint);
    }

    @Test
    void aReconfigurationLeavesAnUnchangedServiceUntouchedWithdrawsARemovedOneStartsANewOneAndReplacesAChangedOne()
            throws Exception {
        FakePrefix ntpPrefix = FakePrefix.of("203.0.113.123");
        FakePrefix webPrefix = FakePrefix.of("203.0.113.80");
        FakePrefix mailPrefix = FakePrefix.of("203.0.113.25");
        FakePrefix mailPrefixNew = FakePrefix.of("203.0.113.26");
        ScriptedHealthCheck ntp = new ScriptedHealthCheck("ntp", Duration.ofSeconds(1));
        ScriptedHealthCheck mail = new ScriptedHealthCheck("mail", Duration.ofSeconds(1));
        dns.healthy();
        ntp.healthy();
        mail.healthy();
        runtime = AnycastRuntime.builder().clock(time.clock()).executors(time, time)
                .stateStore(store, dev.anycastd.core.spi.Providers.of(List.of(), List.of()))
                .service(definition("dns", dnsPrefix, dns, "dns-1"))
                .service(definition("ntp", ntpPrefix, ntp, "ntp-1"))
                .service(definition("mail", mailPrefix, mail, "mail-1"))
                .build();
        runtime.start();
        time.runDue();
        assertThat(List.of(dnsPrefix, ntpPrefix, mailPrefix)).allMatch(FakePrefix::announced);
        runtime.drain("mail", Optional.empty(), "moving");
        time.runDue();
        List<FakePrefix.Operation> dnsBefore = List.copyOf(dnsPrefix.history());
        ScriptedHealthCheck dnsCopy = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        ScriptedHealthCheck web = new ScriptedHealthCheck("web", Duration.ofSeconds(1));
        ScriptedHealthCheck mailNew = new ScriptedHealthCheck("mail", Duration.ofSeconds(1));
        web.healthy();
        mailNew.healthy();

        Reconfiguration done = runtime.reconfigure(List.of(definition("dns", dnsPrefix, dnsCopy, "dns-1"),
                definition("web", webPrefix, web, "web-1"), definition("mail", mailPrefixNew, mailNew, "mail-2")));
        time.advance(Duration.ofSeconds(3));

        assertThat(done).isEqualTo(new Reconfiguration(List.of("web"), List.of("ntp"), List.of("mail"), List.of("dns")));
        assertThat(dnsPrefix.history()).as("untouched").isEqualTo(dnsBefore);
        assertThat(dnsCopy.runs()).as("the running check goes on; the copy never runs").isZero();
        assertThat(dnsCopy.closed()).isTrue();
        assertThat(ntpPrefix.announced()).isFalse();
        assertThat(ntp.closed()).isTrue();
        assertThat(webPrefix.announced()).isTrue();
        assertThat(mail.closed()).isTrue();
        assertThat(mailPrefix.announced()).isFalse();
        assertThat(mailPrefixNew.announced()).as("the drain follows the service by name").isFalse();
        assertThat(runtime.status().stream().map(ServiceStatus::name)).containsExactly("dns", "web", "mail");
        assertThat(runtime.status("mail").state()).isEqualTo(ServiceStatus.State.DRAINED);

        runtime.resume("mail");
        time.runDue();
        assertThat(mailPrefixNew.announced()).isTrue();
        assertThat(mailPrefix.announced()).isFalse();
        dns.unhealthy("SERVFAIL");
        time.advance(Duration.ofSeconds(1));
        assertThat(dnsPrefix.announced()).as("the unchanged service still follows its check").isFalse();
    }

    @Test
    void aReconfigurationThatWouldGiveOnePrefixTwoServicesChangesNothing() throws Exception {
        dns.healthy();
        runtime = runtime();
        runtime.start();
        time.runDue();
        ScriptedHealthCheck other = new ScriptedHealthCheck("other", Duration.ofSeconds(1));

        assertThatThrownBy(() -> runtime.reconfigure(List.of(definition("dns", dnsPrefix, dns, ""),
                definition("other", dnsPrefix, other, "")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both announce 203.0.113.53/32");
        assertThat(runtime.status().stream().map(ServiceStatus::name)).containsExactly("dns");
        assertThat(dnsPrefix.announced()).isTrue();
    }
}
