package dev.anycastd.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.spi.Providers;
import dev.anycastd.core.service.Policy;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.testkit.FakePrefix;
import dev.anycastd.testkit.FakePrefixBatch;
import dev.anycastd.testkit.FakeStateStore;
import dev.anycastd.testkit.ManualScheduler;
import dev.anycastd.testkit.ScriptedHealthCheck;
import dev.anycastd.testkit.plugin.FilePrefix;
import dev.anycastd.testkit.plugin.FileRoutingProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime driven by the testkit's fakes. Time is the manual scheduler's; unless a test
 * needs real threads, checks and prefix operations run on it too, so every step is
 * deterministic.
 */
class AnycastRuntimeTest {

    private final ManualScheduler time = new ManualScheduler();
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
        return AnycastRuntime.builder()
                .clock(time.clock())
                .executors(time, time)
                .retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
                .reconcileInterval(Duration.ofSeconds(30));
    }

    private static ServiceDefinition service(String name, List<? extends Prefix> prefixes, ScriptedHealthCheck... checks) {
        return new ServiceDefinition(name, List.copyOf(prefixes), List.of(checks));
    }

    @Test
    void announcesWhileHealthyAndWithdrawsWhenACheckFails() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        runtime = builder().service(service("dns", List.of(prefix), dns)).build();

        runtime.start();
        time.runDue();
        assertThat(prefix.announced()).isTrue();

        dns.unhealthy("NXDOMAIN");
        time.advance(Duration.ofSeconds(1));

        assertThat(prefix.announced()).isFalse();
        assertThat(runtime.status("dns").reason()).isEqualTo("check dns: unhealthy: NXDOMAIN");
        assertThat(prefix.history()).containsExactly(FakePrefix.Operation.WITHDRAW, FakePrefix.Operation.ANNOUNCE,
                FakePrefix.Operation.WITHDRAW);
    }

    @Test
    void aPrefixWhoseRoutingDaemonCannotCarryItKeepsTheRuntimeFromStartingAndAnnouncingAnything() {
        FakePrefix usable = FakePrefix.of("203.0.113.53");
        FakePrefix unusable = FakePrefix.of("203.0.113.54");
        unusable.unusable("no router bgp in VRF 123");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        runtime = builder().service(service("dns", List.of(usable, unusable), dns)).build();

        assertThatThrownBy(runtime::start).isInstanceOf(UnusablePrefixesException.class)
                .hasMessage("the routing daemon cannot carry a prefix: service \"dns\", prefix 203.0.113.54/32 (fake): "
                        + "no router bgp in VRF 123");
        time.advance(Duration.ofSeconds(5));

        assertThat(usable.history()).as("nothing reached the routing daemon").isEmpty();
        assertThat(unusable.history()).isEmpty();
        assertThat(dns.runs()).as("no check ran").isZero();

        unusable.unusable(null);
        runtime.start();
        time.runDue();
        assertThat(usable.announced()).as("started once the cause is fixed").isTrue();
    }

    @Test
    void aReloadWithAPrefixTheRoutingDaemonCannotCarryChangesNothing() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        runtime = builder().service(service("dns", List.of(prefix), dns)).build();
        runtime.start();
        time.runDue();
        FakePrefix unusable = FakePrefix.of("203.0.113.123");
        unusable.unusable("vtysh is missing");
        ScriptedHealthCheck ntp = new ScriptedHealthCheck("ntp", Duration.ofSeconds(1));

        assertThatThrownBy(() -> runtime.reconfigure(List.of(service("ntp", List.of(unusable), ntp))))
                .isInstanceOf(UnusablePrefixesException.class).hasMessageContaining("vtysh is missing");
        time.advance(Duration.ofSeconds(5));

        assertThat(prefix.announced()).as("the running service stays").isTrue();
        assertThat(unusable.history()).isEmpty();
        assertThat(runtime.status("dns")).isNotNull();
    }

    @Test
    void aPushedResultActsAtOnceWithoutWaitingForThePoll() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(5));
        dns.healthy();
        runtime = builder().service(service("dns", List.of(prefix), dns)).build();
        runtime.start();
        time.runDue();
        assertThat(prefix.announced()).isTrue();

        dns.push(Health.unhealthy("pushed failure"));
        time.runDue();

        assertThat(prefix.announced()).isFalse();
        assertThat(dns.runs()).as("no poll happened in between").isEqualTo(1);
    }

    @Test
    void refusesTwoServicesThatAnnounceTheSamePrefixAtTheSamePlace(@TempDir Path routes) {
        FilePrefix inA = new FilePrefix(IpPrefix.parse("203.0.113.1"), routes);
        FilePrefix inB = new FilePrefix(IpPrefix.parse("203.0.113.1"), routes);
        FilePrefix elsewhere = new FilePrefix(IpPrefix.parse("203.0.113.1"), routes.resolve("other"));
        ScriptedHealthCheck a = new ScriptedHealthCheck("a", Duration.ofSeconds(1));
        ScriptedHealthCheck b = new ScriptedHealthCheck("b", Duration.ofSeconds(1));

        assertThatThrownBy(() -> builder().service(service("a", List.of(inA), a)).service(service("b", List.of(inB), b)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("services \"a\" and \"b\" both announce 203.0.113.1/32 (file-routing into " + routes + ")");
        assertThat(builder().service(service("a", List.of(inA), a)).service(service("b", List.of(elsewhere), b)).build())
                .as("the same network elsewhere is another announcement").isNotNull();
    }

    @Test
    void withdrawsAtStartWhatAnEarlierRunAnnouncedAndTheConfigurationNoLongerNames(@TempDir Path routes) throws Exception {
        FakeStateStore store = new FakeStateStore();
        Providers providers = Providers.of(List.of(new FileRoutingProvider()), List.of());
        FilePrefix dnsPrefix = new FilePrefix(IpPrefix.parse("203.0.113.53"), routes);
        FilePrefix ntpPrefix = new FilePrefix(IpPrefix.parse("203.0.113.123"), routes);
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        ScriptedHealthCheck ntp = new ScriptedHealthCheck("ntp", Duration.ofSeconds(1));
        dns.healthy();
        ntp.healthy();
        // Its own time, so that nothing of it runs once it has "crashed".
        ManualScheduler earlierTime = new ManualScheduler();
        AnycastRuntime crashed = AnycastRuntime.builder().clock(earlierTime.clock()).executors(earlierTime, earlierTime)
                .stateStore(store, providers)
                .service(service("dns", List.of(dnsPrefix), dns)).service(service("ntp", List.of(ntpPrefix), ntp)).build();
        crashed.start();
        earlierTime.runDue();
        assertThat(dnsPrefix.isAnnounced()).isTrue();
        assertThat(ntpPrefix.isAnnounced()).isTrue();
        assertThat(store.recorded()).containsExactlyInAnyOrder(dnsPrefix.record().orElseThrow(), ntpPrefix.record().orElseThrow());
        // The process dies here: nothing withdraws, and the next run is configured with dns alone.

        ScriptedHealthCheck dnsAgain = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        runtime = builder().stateStore(store, providers)
                .service(service("dns", List.of(new FilePrefix(IpPrefix.parse("203.0.113.53"), routes)), dnsAgain)).build();
        runtime.start();

        assertThat(ntpPrefix.isAnnounced()).as("the prefix only the earlier configuration named").isFalse();
        assertThat(store.recorded()).as("nothing is announced before the checks pass").isEmpty();
        dnsAgain.healthy();
        time.runDue();
        assertThat(dnsPrefix.isAnnounced()).isTrue();
        assertThat(store.recorded()).containsExactly(dnsPrefix.record().orElseThrow());

        runtime.close();
        assertThat(store.recorded()).as("a clean shutdown leaves nothing recorded").isEmpty();
    }

    @Test
    void aStateStoreThatFailsDoesNotStopTheServices(@TempDir Path routes) throws Exception {
        FakeStateStore store = new FakeStateStore().failWith("disk full");
        FilePrefix prefix = new FilePrefix(IpPrefix.parse("203.0.113.53"), routes);
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        runtime = builder().stateStore(store, Providers.of(List.of(new FileRoutingProvider()), List.of()))
                .service(service("dns", List.of(prefix), dns)).build();

        runtime.start();
        time.runDue();

        assertThat(prefix.isAnnounced()).isTrue();
    }

    @Test
    void closesEveryCheckAtShutdown() {
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(5));
        runtime = builder().service(service("dns", List.of(FakePrefix.of("203.0.113.53")), dns)).build();
        runtime.start();

        runtime.close();

        assertThat(dns.closed()).isTrue();
    }

    @Test
    void withdrawsWhatTheRoutingDaemonHadBeforeStartUntilTheChecksPass() {
        FakePrefix leftover = FakePrefix.of("203.0.113.53");
        leftover.leftOverAnnounced();
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        runtime = builder().service(service("dns", List.of(leftover), dns)).build();

        runtime.start();

        assertThat(leftover.announced()).isFalse();
        assertThat(dns.runs()).isZero();
    }

    @Test
    void runsEachCheckAtItsOwnInterval() {
        ScriptedHealthCheck fast = new ScriptedHealthCheck("fast", Duration.ofSeconds(1));
        ScriptedHealthCheck slow = new ScriptedHealthCheck("slow", Duration.ofSeconds(5));
        runtime = builder()
                .service(service("a", List.of(FakePrefix.of("192.0.2.1")), fast))
                .service(service("b", List.of(FakePrefix.of("192.0.2.2")), slow))
                .build();

        runtime.start();
        time.advance(Duration.ofSeconds(10));

        assertThat(fast.runs()).isEqualTo(11);
        assertThat(slow.runs()).isEqualTo(3);
    }

    @Test
    void retriesAFailedAnnounceWithGrowingDelaysUntilItLands() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(60));
        dns.healthy();
        runtime = builder().service(service("dns", List.of(prefix), dns)).build();
        runtime.start();
        prefix.failNext(3, "vtysh exited 1");

        time.runDue();
        assertThat(prefix.announced()).isFalse();
        time.advance(Duration.ofSeconds(1));
        assertThat(prefix.attempts()).isEqualTo(3);
        time.advance(Duration.ofSeconds(2));
        assertThat(prefix.attempts()).isEqualTo(4);
        assertThat(prefix.announced()).isFalse();
        time.advance(Duration.ofSeconds(4));

        assertThat(prefix.announced()).isTrue();
        assertThat(runtime.status("dns").converged()).isTrue();
    }

    @Test
    void retryDelaysStopGrowingAtTheLongestDelay() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(600));
        dns.healthy();
        runtime = builder().service(service("dns", List.of(prefix), dns)).build();
        runtime.start();
        prefix.failWith("FRR is down");

        time.runDue();
        time.advance(Duration.ofSeconds(1 + 2 + 4 + 8));
        int attempts = prefix.attempts();
        time.advance(Duration.ofSeconds(8 * 3));

        assertThat(prefix.attempts()).isEqualTo(attempts + 3);
    }

    @Test
    void stopsRetryingAnAnnounceOnceTheServiceTurnsUnhealthy() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        runtime = builder().service(service("dns", List.of(prefix), dns)).build();
        runtime.start();
        prefix.failNext(1, "vtysh exited 1");
        time.runDue();

        dns.unhealthy("down");
        time.advance(Duration.ofSeconds(5));

        assertThat(prefix.history()).doesNotContain(FakePrefix.Operation.ANNOUNCE);
        assertThat(prefix.announced()).isFalse();
    }

    @Test
    void repairsDriftWithinOneReconcileInterval() {
        FakePrefix prefix = FakePrefix.of("2001:db8::b19:bad:53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        runtime = builder().service(service("dns", List.of(prefix), dns)).build();
        runtime.start();
        time.runDue();

        prefix.forget();
        time.advance(Duration.ofSeconds(30));

        assertThat(prefix.announced()).isTrue();
        assertThat(prefix.history()).containsExactly(FakePrefix.Operation.WITHDRAW, FakePrefix.Operation.ANNOUNCE,
                FakePrefix.Operation.ANNOUNCE);
    }

    @Test
    void aRoutingDaemonThatAnswersAgainAfterFailingIsComparedAtOnceNotAtTheNextReconcile() {
        FakePrefixBatch router = new FakePrefixBatch();
        FakePrefix web = FakePrefix.inBatch("203.0.113.80", router);
        FakePrefix api = FakePrefix.inBatch("203.0.113.81", router);
        ScriptedHealthCheck webCheck = new ScriptedHealthCheck("web", Duration.ofSeconds(1));
        ScriptedHealthCheck apiCheck = new ScriptedHealthCheck("api", Duration.ofSeconds(1));
        webCheck.healthy();
        apiCheck.healthy();
        runtime = builder().service(service("web", List.of(web), webCheck)).service(service("api", List.of(api), apiCheck)).build();
        runtime.start();
        time.runDue();
        assertThat(api.announced()).isTrue();

        // The routing daemon restarts: it refuses calls for a moment, then comes back without what it had.
        web.failWith("bgpd is not running");
        webCheck.unhealthy("HTTP 503");
        time.advance(Duration.ofSeconds(1));
        api.forget();
        web.heal();
        time.advance(Duration.ofSeconds(2));

        assertThat(web.announced()).as("the failed withdrawal was retried").isFalse();
        assertThat(api.announced()).as("repaired seconds after the daemon answered again, long before the 30 s reconcile")
                .isTrue();
    }

    @Test
    void aNewWantedStateStartsItsRetriesFromTheFirstDelayAgain() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        runtime = builder().service(service("dns", List.of(prefix), dns)).build();
        runtime.start();
        time.runDue();
        prefix.failWith("bgpd is not running");
        dns.unhealthy("HTTP 503");
        // Withdrawing fails again and again: the delays grow to the longest, 8 s.
        time.advance(Duration.ofSeconds(20));
        assertThat(prefix.announced()).as("never withdrawn").isTrue();

        dns.healthy();
        time.advance(Duration.ofSeconds(1));
        prefix.heal();
        time.advance(Duration.ofSeconds(1));

        assertThat(runtime.status("dns").converged()).as("announcing is retried after the first delay, 1 s").isTrue();
    }

    @Test
    void repairsAnAnnouncementThatAppearedBehindItsBack() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        runtime = builder().service(service("dns", List.of(prefix), dns)).build();
        runtime.start();
        time.runDue();

        prefix.leftOverAnnounced();
        time.advance(Duration.ofSeconds(30));

        assertThat(prefix.announced()).isFalse();
    }

    @Test
    void closeWithdrawsEveryPrefix() {
        FakePrefix v6 = FakePrefix.of("2001:db8::b19:bad:53");
        FakePrefix v4 = FakePrefix.of("203.0.113.53");
        FakePrefix ntp = FakePrefix.of("203.0.113.123");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        ScriptedHealthCheck ntpCheck = new ScriptedHealthCheck("ntp_v4", Duration.ofSeconds(1));
        dns.healthy();
        ntpCheck.healthy();
        runtime = builder().service(service("dns", List.of(v6, v4), dns)).service(service("ntp", List.of(ntp), ntpCheck)).build();
        runtime.start();
        time.runDue();
        assertThat(List.of(v6, v4, ntp)).allMatch(FakePrefix::announced);

        ShutdownResult result = runtime.shutdown(Duration.ofSeconds(5));

        assertThat(result.clean()).isTrue();
        assertThat(List.of(v6, v4, ntp)).noneMatch(FakePrefix::announced);
        int runs = dns.runs();
        time.advance(Duration.ofSeconds(10));
        assertThat(dns.runs()).as("no check runs after shutdown").isEqualTo(runs);
    }

    @Test
    void closeReportsEachPrefixItCouldNotWithdraw() {
        FakePrefix stuck = FakePrefix.of("203.0.113.53");
        FakePrefix fine = FakePrefix.of("203.0.113.54");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        runtime = builder().service(service("dns", List.of(stuck, fine), dns)).build();
        runtime.start();
        time.runDue();
        stuck.failWith("vtysh: connection refused");

        ShutdownResult result = runtime.shutdown(Duration.ofSeconds(5));

        assertThat(result.clean()).isFalse();
        assertThat(result.notWithdrawn())
                .containsExactly("dns 203.0.113.53/32 (fake): fake routing daemon: vtysh: connection refused");
        assertThat(fine.announced()).isFalse();
        assertThat(runtime.shutdown(Duration.ofSeconds(5))).as("a second call returns the first result").isEqualTo(result);
    }

    @Test
    void changesABatchOfPrefixesInOneCall() {
        FakePrefixBatch batch = new FakePrefixBatch();
        List<FakePrefix> prefixes = List.of(FakePrefix.inBatch("192.0.2.1", batch), FakePrefix.inBatch("192.0.2.2", batch),
                FakePrefix.inBatch("2001:db8::1", batch));
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        runtime = builder().service(service("dns", prefixes, dns)).build();

        runtime.start();
        time.runDue();

        assertThat(prefixes).allMatch(FakePrefix::announced);
        assertThat(batch.calls()).as("one withdrawal at start, one announcement").isEqualTo(2);
    }

    @Test
    void appliesChangesOfManyServicesThatHappenTogetherInOneBatchCall() {
        FakePrefixBatch batch = new FakePrefixBatch();
        AnycastRuntime.Builder builder = builder();
        List<FakePrefix> prefixes = new java.util.ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            FakePrefix prefix = FakePrefix.inBatch("192.0.2." + i, batch);
            prefixes.add(prefix);
            ScriptedHealthCheck check = new ScriptedHealthCheck("check", Duration.ofSeconds(1));
            check.healthy();
            builder.service(service("service-" + i, List.of(prefix), check));
        }
        runtime = builder.build();

        runtime.start();
        time.runDue();

        assertThat(prefixes).allMatch(FakePrefix::announced);
        assertThat(batch.calls()).as("one withdrawal of all at start, one announcement of all").isEqualTo(2);
    }

    @Test
    void finishesABatchThatFailedHalfWayOneByOne() {
        FakePrefixBatch batch = new FakePrefixBatch();
        FakePrefix first = FakePrefix.inBatch("192.0.2.1", batch);
        FakePrefix second = FakePrefix.inBatch("192.0.2.2", batch);
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        runtime = builder().service(service("dns", List.of(first, second), dns)).build();
        runtime.start();
        second.failNext(1, "line 2 failed");

        time.runDue();

        assertThat(first.announced()).isTrue();
        assertThat(second.announced()).isTrue();
    }

    @Test
    void aPluginBugWhileApplyingIsRetriedNotForgotten() {
        FakePrefix fake = FakePrefix.of("192.0.2.1");
        BuggyPrefix prefix = new BuggyPrefix(fake);
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(60));
        dns.healthy();
        runtime = builder().service(service("dns", List.of(prefix), dns)).build();
        runtime.start();
        prefix.bugs = 1;

        time.runDue();
        assertThat(fake.announced()).isFalse();
        time.advance(Duration.ofSeconds(1));

        assertThat(fake.announced()).isTrue();
        assertThat(runtime.status("dns").converged()).isTrue();
    }

    /** A plugin's prefix whose batch() has a bug: it throws, outside any operation the runtime bounds. */
    private static final class BuggyPrefix implements Prefix {
        private final FakePrefix delegate;
        private volatile int bugs;

        BuggyPrefix(FakePrefix delegate) {
            this.delegate = delegate;
        }

        @Override
        public dev.anycastd.core.prefix.IpPrefix prefix() {
            return delegate.prefix();
        }

        @Override
        public void announce() throws dev.anycastd.core.prefix.RoutingException {
            delegate.announce();
        }

        @Override
        public void withdraw() throws dev.anycastd.core.prefix.RoutingException {
            delegate.withdraw();
        }

        @Override
        public boolean isAnnounced() throws dev.anycastd.core.prefix.RoutingException {
            return delegate.isAnnounced();
        }

        @Override
        public dev.anycastd.core.prefix.PrefixBatch batch() {
            if (bugs > 0) {
                bugs--;
                throw new IllegalStateException("bug in batch()");
            }
            return null;
        }
    }

    @Test
    void aDrainedServiceStaysWithdrawnUntilResumed() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        runtime = builder().service(service("dns", List.of(prefix), dns)).build();
        runtime.start();
        time.runDue();

        runtime.drain("dns");
        time.runDue();
        time.advance(Duration.ofSeconds(3));
        assertThat(prefix.announced()).isFalse();
        assertThat(runtime.status("dns").drained()).isTrue();

        runtime.resume("dns");
        time.runDue();
        assertThat(prefix.announced()).isTrue();
    }

    @Test
    void honoursRiseAndFall() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofSeconds(1));
        dns.healthy();
        runtime = builder().service(new ServiceDefinition("dns", List.of(prefix), List.of(dns), new Policy(3, 2))).build();
        runtime.start();

        time.advance(Duration.ofSeconds(1));
        assertThat(prefix.announced()).as("after two healthy results").isFalse();
        time.advance(Duration.ofSeconds(1));
        assertThat(prefix.announced()).as("after three healthy results").isTrue();
        dns.unhealthy("down");
        time.advance(Duration.ofSeconds(1));
        assertThat(prefix.announced()).as("after one failure").isTrue();
        time.advance(Duration.ofSeconds(1));
        assertThat(prefix.announced()).as("after two failures").isFalse();
    }

    @Test
    void aCheckThatThrowsCountsAsUnknown() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        runtime = builder().service(new ServiceDefinition("dns", List.of(prefix), List.of(new ThrowingCheck()))).build();

        runtime.start();
        time.runDue();

        assertThat(runtime.status("dns").checks().get("broken")).isInstanceOf(Health.Unknown.class);
        assertThat(runtime.status("dns").reason()).contains("check failed: java.lang.IllegalStateException: bug");
        assertThat(prefix.announced()).isFalse();
    }

    @Test
    void aHangingCheckIsCutAtItsTimeoutAndDelaysNoOtherService() {
        threads = Executors.newFixedThreadPool(4);
        FakePrefix slowPrefix = FakePrefix.of("192.0.2.1");
        FakePrefix otherPrefix = FakePrefix.of("192.0.2.2");
        ScriptedHealthCheck hanging = new ScriptedHealthCheck("hanging", Duration.ofSeconds(5), Duration.ofSeconds(2));
        ScriptedHealthCheck other = new ScriptedHealthCheck("other", Duration.ofSeconds(1));
        hanging.hang();
        other.healthy();
        runtime = AnycastRuntime.builder().clock(time.clock()).executors(time, threads)
                .service(service("slow", List.of(slowPrefix), hanging))
                .service(service("other", List.of(otherPrefix), other))
                .build();

        runtime.start();
        time.runDue();
        await().atMost(Duration.ofSeconds(5)).until(otherPrefix::announced);
        await().atMost(Duration.ofSeconds(5)).until(() -> hanging.runs() == 1);

        time.advance(Duration.ofSeconds(2));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(runtime.status("slow").checks().get("hanging"))
                        .isEqualTo(Health.unknown("check did not finish within 2000 ms")));
        assertThat(slowPrefix.announced()).isFalse();
        hanging.release();
    }

    @Test
    void aRunThatTimedOutWaitingForAWorkerDoesNotStopTheCheckForGood() {
        threads = Executors.newSingleThreadExecutor();
        ScriptedHealthCheck hog = new ScriptedHealthCheck("hog", Duration.ofSeconds(10), Duration.ofSeconds(10));
        ScriptedHealthCheck starved = new ScriptedHealthCheck("starved", Duration.ofSeconds(1), Duration.ofMillis(500));
        FakePrefix prefix = FakePrefix.of("192.0.2.2");
        hog.hang();
        starved.healthy();
        runtime = AnycastRuntime.builder().clock(time.clock()).executors(time, threads)
                .service(service("hog", List.of(FakePrefix.of("192.0.2.1")), hog))
                .service(service("starved", List.of(prefix), starved))
                .build();
        runtime.start();
        time.runDue();
        await().atMost(Duration.ofSeconds(5)).until(() -> hog.runs() == 1);

        // The only worker is held by the hanging check: the starved check's run times out in the queue.
        time.advance(Duration.ofMillis(500));
        assertThat(runtime.status("starved").checks().get("starved"))
                .isEqualTo(Health.unknown("check waited 500 ms for a free worker and did not run"));
        hog.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.status("hog").checks().containsKey("hog"));

        time.advance(Duration.ofMillis(500));
        await().atMost(Duration.ofSeconds(5)).until(prefix::announced);
        assertThat(starved.runs()).isPositive();
    }

    /** A check with a bug: it throws instead of returning a result. */
    private static final class ThrowingCheck implements dev.anycastd.core.check.HealthCheck {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public Duration interval() {
            return Duration.ofSeconds(1);
        }

        @Override
        public Health check() {
            throw new IllegalStateException("bug");
        }
    }

    @Test
    void underRequireAnyAnnouncesWithOneOfTwoChecksPassingAndWithdrawsWhenBothFail() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck a = new ScriptedHealthCheck("a", Duration.ofSeconds(1));
        ScriptedHealthCheck b = new ScriptedHealthCheck("b", Duration.ofSeconds(1));
        a.unhealthy("refused");
        b.healthy();
        runtime = builder().service(new ServiceDefinition("dns", List.of(prefix), List.of(a, b),
                new dev.anycastd.core.service.Policy(1, 1, dev.anycastd.core.service.Requirement.ANY, java.util.Set.of()))).build();
        runtime.start();
        time.runDue();

        assertThat(prefix.announced()).isTrue();
        assertThat(runtime.status("dns").reason()).isEqualTo("1 of 2 checks pass, 1 required; failing: a (unhealthy: refused)");

        b.set(dev.anycastd.core.check.Health.unknown("timeout"));
        time.advance(Duration.ofSeconds(1));

        assertThat(prefix.announced()).isFalse();
        assertThat(runtime.status("dns").reason())
                .isEqualTo("0 of 2 checks pass, 1 required; failing: a (unhealthy: refused), b (unknown: timeout)");
    }

    @Test
    void aGuardCheckIsReadAgainAtEveryReconcileWhateverItsInterval() {
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofHours(1));
        ScriptedHealthCheck local = new ScriptedHealthCheck("local-address 203.0.113.53", Duration.ofHours(1));
        dns.healthy();
        local.healthy();
        runtime = builder().service(new ServiceDefinition("dns", List.of(prefix), List.of(dns, local),
                new dev.anycastd.core.service.Policy(1, 1, dev.anycastd.core.service.Requirement.ALL,
                        java.util.Set.of("local-address 203.0.113.53")))).build();
        runtime.start();
        time.runDue();
        assertThat(prefix.announced()).isTrue();
        int guardRuns = local.runs();
        local.unhealthy("203.0.113.53 is not on interface lo");

        time.advance(Duration.ofSeconds(30));

        assertThat(local.runs()).as("one more run, at the reconcile").isEqualTo(guardRuns + 1);
        assertThat(dns.runs()).isEqualTo(1);
        assertThat(prefix.announced()).isFalse();
        assertThat(runtime.status("dns").reason()).isEqualTo("check local-address 203.0.113.53: unhealthy: 203.0.113.53 is not on interface lo");
    }
}
