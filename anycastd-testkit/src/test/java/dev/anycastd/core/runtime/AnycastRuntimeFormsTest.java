package dev.anycastd.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.RoutingException;
import dev.anycastd.core.service.GracefulDrain;
import dev.anycastd.core.service.Policy;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.service.TransitionCause;
import dev.anycastd.core.service.WhenDown;
import dev.anycastd.testkit.FakePrefix;
import dev.anycastd.testkit.FakeStateStore;
import dev.anycastd.testkit.ManualScheduler;
import dev.anycastd.testkit.ScriptedHealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Route forms in {@link AnycastRuntime}: a when-down route policy keeps prefixes announced
 * through it while the service is down, a graceful drain holds them through the drain policy
 * before withdrawing, and the reconcile repairs a wrong form like a missing prefix. The routing
 * daemon is the testkit's {@link FakePrefix}, whose forms behave like FRR's route-maps; time is
 * the manual scheduler's.
 */
class AnycastRuntimeFormsTest {

    private static final Duration HOLD = Duration.ofSeconds(30);

    private final ManualScheduler time = new ManualScheduler();
    private final FakeStateStore store = new FakeStateStore();
    private final FakePrefix dnsPrefix = FakePrefix.of("203.0.113.53");
    private final FakePrefix plainPrefix = FakePrefix.of("203.0.113.54");
    private final ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
    private final List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
    private AnycastRuntime runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** dns: 203.0.113.53 stays announced through DOWN when down, 203.0.113.54 is withdrawn; drains hold through DRAIN. */
    private AnycastRuntime runtime() throws Exception {
        return runtime(List.of(new WhenDown.Through("DOWN"), WhenDown.WITHDRAW));
    }

    private AnycastRuntime runtime(List<WhenDown> whenDown) throws Exception {
        return AnycastRuntime.builder()
                .clock(time.clock())
                .executors(time, time)
                .reconcileInterval(Duration.ofSeconds(10))
                .shutdownTimeout(Duration.ofSeconds(1))
                .stateStore(store, dev.anycastd.core.spi.Providers.of(List.of(), List.of()))
                .eventListener(events::add)
                .service(new ServiceDefinition("dns", List.<Prefix>of(dnsPrefix, plainPrefix), List.<HealthCheck>of(dns), Policy.DEFAULT,
                        "", whenDown, Optional.of(new GracefulDrain(HOLD, "DRAIN"))))
                .build();
    }

    @Test
    void aDownServiceKeepsItsWhenDownPrefixAnnouncedThroughItsPolicyWithoutAWithdrawalInBetween() throws Exception {
        dns.healthy();
        runtime = runtime();
        runtime.start();
        time.runDue();
        assertThat(dnsPrefix.announced()).isTrue();
        assertThat(dnsPrefix.announcedThrough()).isEmpty();

        dns.unhealthy("SERVFAIL");
        time.advance(Duration.ofSeconds(1));

        assertThat(dnsPrefix.announcedThrough()).contains("DOWN");
        assertThat(plainPrefix.announced()).isFalse();
        assertThat(dnsPrefix.forms()).containsExactly("withdraw", "announce", "announce through DOWN");
        ServiceStatus status = runtime.status("dns");
        assertThat(status.state()).isEqualTo(ServiceStatus.State.DEGRADED);
        assertThat(status.announce()).isTrue();
        assertThat(status.asWanted()).as("a degraded service is not as wanted").isFalse();
        assertThat(status.prefixes().get(0).description()).contains("through DOWN");
        time.advance(Duration.ofSeconds(10));
        assertThat(runtime.status("dns").prefixes().get(0).description()).as("after a reconcile read it").contains("through DOWN");
        assertThat(events).filteredOn(RuntimeEvent.ServiceChanged.class::isInstance).map(RuntimeEvent.ServiceChanged.class::cast)
                .extracting(RuntimeEvent.ServiceChanged::to).containsExactly(RuntimeEvent.ServiceCondition.ANNOUNCED,
                        RuntimeEvent.ServiceCondition.DEGRADED);

        dns.healthy();
        time.advance(Duration.ofSeconds(1));

        assertThat(dnsPrefix.forms()).containsExactly("withdraw", "announce", "announce through DOWN", "announce");
        assertThat(runtime.status("dns").state()).isEqualTo(ServiceStatus.State.ANNOUNCED);
    }

    @Test
    void theReconcileRepairsAWrongFormLikeAMissingPrefix() throws Exception {
        dns.healthy();
        runtime = runtime();
        runtime.start();
        time.runDue();

        dnsPrefix.setByHand("SOMETHING-ELSE");
        time.advance(Duration.ofSeconds(10));
        time.runDue();

        assertThat(dnsPrefix.announced()).isTrue();
        assertThat(dnsPrefix.announcedThrough()).isEmpty();
        assertThat(runtime.lastReconcile()).get().satisfies(outcome -> assertThat(outcome.repaired()).hasSize(1));

        dns.unhealthy("SERVFAIL");
        time.advance(Duration.ofSeconds(1));
        dnsPrefix.setByHand(null);
        time.advance(Duration.ofSeconds(10));
        time.runDue();

        assertThat(dnsPrefix.announcedThrough()).contains("DOWN");
    }

    @Test
    void aServiceThatWantsItsPrefixesWithdrawnFindsThemInAnyForm() throws Exception {
        runtime = runtime(List.of(WhenDown.WITHDRAW, WhenDown.WITHDRAW));
        runtime.start();
        time.runDue();
        runtime.drain("dns", Optional.empty(), "");
        time.runDue();

        dnsPrefix.setByHand("DOWN");
        time.advance(Duration.ofSeconds(10));
        time.runDue();

        assertThat(dnsPrefix.announced()).isFalse();
    }

    @Test
    void aGracefulDrainHoldsTheAnnouncedPrefixesThroughTheDrainPolicyThenWithdraws() throws Exception {
        dns.healthy();
        runtime = runtime();
        runtime.start();
        time.runDue();

        runtime.drain("dns", Optional.empty(), "kernel update");
        time.runDue();

        assertThat(dnsPrefix.announcedThrough()).contains("DRAIN");
        assertThat(plainPrefix.announcedThrough()).contains("DRAIN");
        assertThat(runtime.status("dns").state()).isEqualTo(ServiceStatus.State.DRAINING);
        assertThat(runtime.status("dns").asWanted()).isTrue();

        time.advance(HOLD.minusSeconds(1));
        assertThat(dnsPrefix.announced()).isTrue();

        time.advance(Duration.ofSeconds(1));

        assertThat(dnsPrefix.announced()).isFalse();
        assertThat(plainPrefix.announced()).isFalse();
        assertThat(dnsPrefix.forms()).containsExactly("withdraw", "announce", "announce through DRAIN", "withdraw");
        assertThat(runtime.status("dns").state()).isEqualTo(ServiceStatus.State.DRAINED);
        assertThat(events).filteredOn(RuntimeEvent.ServiceChanged.class::isInstance).map(RuntimeEvent.ServiceChanged.class::cast)
                .extracting(RuntimeEvent.ServiceChanged::to, RuntimeEvent.ServiceChanged::cause).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(RuntimeEvent.ServiceCondition.ANNOUNCED, TransitionCause.CHECKS_HEALTHY),
                        org.assertj.core.groups.Tuple.tuple(RuntimeEvent.ServiceCondition.DRAINING, TransitionCause.DRAINED),
                        org.assertj.core.groups.Tuple.tuple(RuntimeEvent.ServiceCondition.DRAINED, TransitionCause.DRAINED));
    }

    @Test
    void aDrainOfADegradedServiceHoldsOnlyWhatWasAnnounced() throws Exception {
        dns.healthy();
        runtime = runtime();
        runtime.start();
        time.runDue();
        dns.unhealthy("SERVFAIL");
        time.advance(Duration.ofSeconds(1));

        runtime.drain("dns", Optional.empty(), "");
        time.runDue();

        assertThat(dnsPrefix.announcedThrough()).contains("DRAIN");
        assertThat(plainPrefix.announced()).isFalse();
    }

    @Test
    void aResumeDuringTheHoldCancelsItWithoutAWithdrawal() throws Exception {
        dns.healthy();
        runtime = runtime();
        runtime.start();
        time.runDue();
        runtime.drain("dns", Optional.empty(), "");
        time.runDue();

        runtime.resume("dns");
        time.runDue();
        time.advance(HOLD.plusSeconds(1));

        assertThat(dnsPrefix.forms()).containsExactly("withdraw", "announce", "announce through DRAIN", "announce");
        assertThat(runtime.status("dns").state()).isEqualTo(ServiceStatus.State.ANNOUNCED);
    }

    @Test
    void aDrainOfAWithdrawnServiceDoesNotHold() throws Exception {
        runtime = runtime(List.of(WhenDown.WITHDRAW, WhenDown.WITHDRAW));
        runtime.start();
        time.runDue();

        runtime.drain("dns", Optional.empty(), "");
        time.runDue();

        assertThat(dnsPrefix.forms()).containsOnly("withdraw");
        assertThat(runtime.status("dns").state()).isEqualTo(ServiceStatus.State.DRAINED);
    }

    @Test
    void aDrainRecordedByAnEarlierRunIsNeverAnnouncedAtStartUpNotEvenThroughTheDrainPolicy() throws Exception {
        dns.healthy();
        store.recordDrains(java.util.Map.of("dns", new Drain("", time.now(), Optional.empty())));
        runtime = runtime();

        runtime.start();
        time.runDue();
        time.advance(HOLD.plusSeconds(1));

        assertThat(dnsPrefix.forms()).containsOnly("withdraw");
    }

    @Test
    void shutdownHoldsThroughTheDrainPolicyWithinItsBoundThenWithdraws() throws Exception {
        dns.healthy();
        runtime = runtime();
        runtime.start();
        time.runDue();

        long start = System.nanoTime();
        ShutdownResult result = runtime.shutdown(Duration.ofMillis(600));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.clean()).isTrue();
        assertThat(dnsPrefix.forms()).containsExactly("withdraw", "announce", "announce through DRAIN", "withdraw");
        assertThat(took).as("the 30 s hold is cut to the 600 ms bound").isLessThan(Duration.ofSeconds(2))
                .isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aShutdownAfterAnEarlierDrainHoldStillHoldsForItsOwnTime() throws Exception {
        dns.healthy();
        runtime = runtime();
        runtime.start();
        time.runDue();
        runtime.drain("dns", Optional.empty(), "");
        time.runDue();
        time.advance(HOLD);
        runtime.resume("dns");
        time.runDue();

        long start = System.nanoTime();
        ShutdownResult result = runtime.shutdown(Duration.ofMillis(600));

        assertThat(result.clean()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(dnsPrefix.forms()).containsExactly("withdraw", "announce", "announce through DRAIN", "withdraw", "announce",
                "announce through DRAIN", "withdraw");
    }

    @Test
    void aPrefixTypeWithoutRoutePoliciesCannotTakeAWhenDownPolicy() throws Exception {
        Prefix plain = new Prefix() {
            @Override
            public IpPrefix prefix() {
                return IpPrefix.parse("203.0.113.9");
            }

            @Override
            public void announce() throws RoutingException {
            }

            @Override
            public void withdraw() throws RoutingException {
            }

            @Override
            public boolean isAnnounced() throws RoutingException {
                return false;
            }
        };

        assertThatThrownBy(() -> new ServiceDefinition("dns", List.of(plain), List.<HealthCheck>of(dns), Policy.DEFAULT, "",
                List.of(new WhenDown.Through("DOWN")), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be announced through when-down route policy \"DOWN\"");
    }
}
