package dev.anycastd.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.service.TransitionCause;
import dev.anycastd.testkit.FakePrefix;
import dev.anycastd.testkit.ManualScheduler;
import dev.anycastd.testkit.ScriptedHealthCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the runtime tells its {@link RuntimeListener}s, driven by the manual scheduler. */
class RuntimeEventsTest {

    private final ManualScheduler time = new ManualScheduler();
    private final List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
    private AnycastRuntime runtime;
    private ExecutorService threads;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    private AnycastRuntime.Builder builder() {
        return AnycastRuntime.builder().clock(time.clock()).executors(time, time)
                .retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
                .reconcileInterval(Duration.ofSeconds(30))
                .eventListener(events::add);
    }

    private <T extends RuntimeEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aServicesChangesArriveInTheOrderTheyHappenedWhateverThreadsMakeThem() throws Exception {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofHours(1));
        dns.healthy();
        runtime = AnycastRuntime.builder().eventListener(events::add)
                .service(new ServiceDefinition("dns", List.of(prefix), List.of(dns))).build();
        runtime.start();
        threads = Executors.newFixedThreadPool(4);
        List<Future<?>> pushers = new ArrayList<>();
        for (int thread = 0; thread < 4; thread++) {
            int offset = thread;
            pushers.add(threads.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    dns.push((i + offset) % 2 == 0 ? Health.healthy() : Health.unhealthy("flap " + i));
                }
            }));
        }
        for (Future<?> pusher : pushers) {
            pusher.get(60, TimeUnit.SECONDS);
        }

        List<RuntimeEvent.ServiceChanged> changes = events(RuntimeEvent.ServiceChanged.class);
        assertThat(changes).as("the pushes flipped the service").hasSizeGreaterThan(10);
        assertThat(changes.get(0).from()).isEqualTo(RuntimeEvent.ServiceCondition.WITHDRAWN);
        for (int i = 1; i < changes.size(); i++) {
            assertThat(changes.get(i).from()).as("change %d starts where change %d ended", i, i - 1)
                    .isEqualTo(changes.get(i - 1).to());
        }
    }

    @Test
    void publishesTransitionsWithTheirCauseAndCheckResults() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        runtime = builder().service(new ServiceDefinition("dns", List.of(prefix), List.of(dns))).build();
        runtime.start();
        time.runDue();
        dns.unhealthy("NXDOMAIN");
        time.advance(Duration.ofSeconds(1));
        runtime.drain("dns");
        time.runDue();

        assertThat(events(RuntimeEvent.ServiceChanged.class))
                .extracting(RuntimeEvent.ServiceChanged::from, RuntimeEvent.ServiceChanged::to, RuntimeEvent.ServiceChanged::cause)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(RuntimeEvent.ServiceCondition.WITHDRAWN,
                                RuntimeEvent.ServiceCondition.ANNOUNCED, TransitionCause.CHECKS_HEALTHY),
                        org.assertj.core.groups.Tuple.tuple(RuntimeEvent.ServiceCondition.ANNOUNCED,
                                RuntimeEvent.ServiceCondition.WITHDRAWN, TransitionCause.CHECK_UNHEALTHY),
                        org.assertj.core.groups.Tuple.tuple(RuntimeEvent.ServiceCondition.WITHDRAWN,
                                RuntimeEvent.ServiceCondition.DRAINED, TransitionCause.DRAINED));
        assertThat(events(RuntimeEvent.CheckCompleted.class)).extracting(RuntimeEvent.CheckCompleted::health)
                .containsExactly(Health.healthy(), Health.unhealthy("NXDOMAIN"));
        assertThat(events(RuntimeEvent.CheckCompleted.class)).allSatisfy(result -> {
            assertThat(result.service()).isEqualTo("dns");
            assertThat(result.check()).isEqualTo("dns");
            assertThat(result.pushed()).isFalse();
        });
    }

    @Test
    void publishesEachRouterCallWithItsOperationAndOutcome() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        prefix.failNext(1, "vtysh: connection refused");
        runtime = builder().service(new ServiceDefinition("dns", List.of(prefix), List.of(dns))).build();
        runtime.start();
        time.runDue();

        List<RuntimeEvent.RouterCall> calls = events(RuntimeEvent.RouterCall.class);
        assertThat(calls).first().satisfies(call -> {
            assertThat(call.operation()).isEqualTo(RuntimeEvent.Operation.WITHDRAW);
            assertThat(call.succeeded()).isFalse();
            assertThat(call.error()).contains("connection refused");
        });
        assertThat(calls).anySatisfy(call -> {
            assertThat(call.operation()).isEqualTo(RuntimeEvent.Operation.ANNOUNCE);
            assertThat(call.succeeded()).isTrue();
            assertThat(call.prefixes()).isEqualTo(1);
        });
    }

    @Test
    void reconcilesAsSoonAsEveryServiceIsEvaluatedAndSaysSoOnce() {
        threads = Executors.newFixedThreadPool(4);
        FakePrefix dnsPrefix = FakePrefix.of("203.0.113.53");
        FakePrefix ntpPrefix = FakePrefix.of("203.0.113.123");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        ScriptedHealthCheck ntp = new ScriptedHealthCheck("ntp", Duration.ofSeconds(1), Duration.ofSeconds(1));
        dns.healthy();
        ntp.unhealthy("no answer");
        ntp.hang();
        runtime = builder().executors(time, threads)
                .service(new ServiceDefinition("dns", List.of(dnsPrefix), List.of(dns)))
                .service(new ServiceDefinition("ntp", List.of(ntpPrefix), List.of(ntp))).build();
        runtime.start();
        time.runDue();
        await().atMost(Duration.ofSeconds(10)).until(dnsPrefix::announced);
        assertThat(events(RuntimeEvent.ReconcileCompleted.class)).as("ntp has not been evaluated").isEmpty();

        ntp.release();

        await().atMost(Duration.ofSeconds(10)).until(() -> !events(RuntimeEvent.ReconcileCompleted.class).isEmpty());
        assertThat(events(RuntimeEvent.ReconcileCompleted.class)).as("well before the 30 s interval, which has not passed")
                .singleElement().satisfies(reconcile -> {
                    assertThat(reconcile.converged()).isTrue();
                    assertThat(reconcile.prefixes()).extracting(RuntimeEvent.PrefixState::service, RuntimeEvent.PrefixState::announced)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple("dns", true),
                                    org.assertj.core.groups.Tuple.tuple("ntp", false));
                });
    }

    @Test
    void countsRepairsBothWays() {
        FakePrefix up = FakePrefix.of("203.0.113.53");
        FakePrefix down = FakePrefix.of("203.0.113.123");
        ScriptedHealthCheck healthy = new ScriptedHealthCheck("up", Duration.ofSeconds(1));
        ScriptedHealthCheck unhealthy = new ScriptedHealthCheck("down", Duration.ofSeconds(1));
        healthy.healthy();
        unhealthy.unhealthy("broken");
        runtime = builder().service(new ServiceDefinition("up", List.of(up), List.of(healthy)))
                .service(new ServiceDefinition("down", List.of(down), List.of(unhealthy))).build();
        runtime.start();
        time.runDue();
        up.forget();
        down.leftOverAnnounced();

        time.advance(Duration.ofSeconds(30));

        RuntimeEvent.ReconcileCompleted last = events(RuntimeEvent.ReconcileCompleted.class).stream()
                .filter(reconcile -> reconcile.announceRepairs() + reconcile.withdrawRepairs() > 0).findFirst().orElseThrow();
        assertThat(last.announceRepairs()).isEqualTo(1);
        assertThat(last.withdrawRepairs()).isEqualTo(1);
        assertThat(last.converged()).isFalse();
        assertThat(up.announced()).isTrue();
        assertThat(down.announced()).isFalse();
    }

    @Test
    void aThrowingListenerIsLoggedAndTheRuntimeAndOtherListenersGoOn() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        List<RuntimeEvent> afterIt = new CopyOnWriteArrayList<>();
        runtime = AnycastRuntime.builder().clock(time.clock()).executors(time, time)
                .eventListener(event -> {
                    throw new IllegalStateException("broken listener");
                })
                .eventListener(afterIt::add)
                .service(new ServiceDefinition("dns", List.of(prefix), List.of(dns))).build();
        runtime.start();
        time.runDue();

        assertThat(prefix.announced()).isTrue();
        assertThat(afterIt).hasAtLeastOneElementOfType(RuntimeEvent.ServiceChanged.class)
                .hasAtLeastOneElementOfType(RuntimeEvent.ReconcileCompleted.class);
    }

    @Test
    void tellsAChangeAppliedOnlyOnceTheRoutingDaemonHasItWithTheServicesPrefixes() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        runtime = builder().service(new ServiceDefinition("dns", List.of(prefix), List.of(dns))).build();
        runtime.start();
        prefix.failNext(1, "vtysh exited 1");
        time.runDue();

        assertThat(events(RuntimeEvent.ChangeApplied.class)).singleElement().satisfies(applied -> {
            assertThat(applied.service()).isEqualTo("dns");
            assertThat(applied.from()).isEqualTo(RuntimeEvent.ServiceCondition.WITHDRAWN);
            assertThat(applied.to()).isEqualTo(RuntimeEvent.ServiceCondition.ANNOUNCED);
            assertThat(applied.succeeded()).isFalse();
            assertThat(applied.error()).contains("vtysh exited 1");
            assertThat(applied.prefixes()).containsExactly(prefix.prefix());
        });
        time.advance(Duration.ofSeconds(1));
        assertThat(prefix.announced()).isTrue();
        assertThat(events(RuntimeEvent.ChangeApplied.class)).as("the retry that lands is not told again").hasSize(1);

        dns.unhealthy("NXDOMAIN");
        time.advance(Duration.ofSeconds(1));
        runtime.drain("dns");
        time.runDue();
        runtime.resume("dns");
        time.runDue();

        assertThat(events(RuntimeEvent.ChangeApplied.class)).extracting(RuntimeEvent.ChangeApplied::from,
                RuntimeEvent.ChangeApplied::to, RuntimeEvent.ChangeApplied::succeeded).containsExactly(
                org.assertj.core.groups.Tuple.tuple(RuntimeEvent.ServiceCondition.WITHDRAWN, RuntimeEvent.ServiceCondition.ANNOUNCED, false),
                org.assertj.core.groups.Tuple.tuple(RuntimeEvent.ServiceCondition.ANNOUNCED, RuntimeEvent.ServiceCondition.WITHDRAWN, true),
                org.assertj.core.groups.Tuple.tuple(RuntimeEvent.ServiceCondition.WITHDRAWN, RuntimeEvent.ServiceCondition.DRAINED, true),
                org.assertj.core.groups.Tuple.tuple(RuntimeEvent.ServiceCondition.DRAINED, RuntimeEvent.ServiceCondition.WITHDRAWN, true));
        assertThat(events.indexOf(events(RuntimeEvent.ChangeApplied.class).get(1)))
                .as("told after the withdrawal's router call").isGreaterThan(events.indexOf(events(RuntimeEvent.RouterCall.class).stream()
                        .filter(call -> call.operation() == RuntimeEvent.Operation.WITHDRAW).reduce((a, b) -> b).orElseThrow()));
    }

    @Test
    void shutdownTellsTheWithdrawalOfAnAnnouncedServiceOnceItIsDone() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        runtime = builder().service(new ServiceDefinition("dns", List.of(prefix), List.of(dns))).build();
        runtime.start();
        time.runDue();

        runtime.close();

        assertThat(prefix.announced()).isFalse();
        assertThat(events(RuntimeEvent.ChangeApplied.class)).last().satisfies(applied -> {
            assertThat(applied.from()).isEqualTo(RuntimeEvent.ServiceCondition.ANNOUNCED);
            assertThat(applied.to()).isEqualTo(RuntimeEvent.ServiceCondition.WITHDRAWN);
            assertThat(applied.reason()).isEqualTo("stopping");
            assertThat(applied.succeeded()).isTrue();
        });
    }
}
