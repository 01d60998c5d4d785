package dev.anycastd.frr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anycastd.core.check.Health;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.RoutingException;
import dev.anycastd.core.runtime.AnycastRuntime;
import dev.anycastd.core.runtime.ServiceStatus;
import dev.anycastd.core.runtime.ShutdownResult;
import dev.anycastd.core.service.GracefulDrain;
import dev.anycastd.core.service.Policy;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.service.WhenDown;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.ScriptedHealthCheck;
import dev.anycastd.testkit.frr.FrrLab;
import dev.anycastd.testkit.frr.FrrLabExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Route forms against real FRR, proven at the upstream router: a when-down route-map keeps the
 * route while the service is down (its attributes change, it never goes missing), a wrong
 * route-map set by hand is repaired, and a graceful drain shows the drain route-map's community
 * before the route disappears, on a drain and at shutdown. Run once for each transport
 * ({@link FrrRouteFormsThroughVtyshTest}, {@link FrrRouteFormsThroughVtySocketTest}), each with a lab of its own.
 */
@ExtendWith(FrrLabExtension.class)
abstract class FrrRouteFormsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HOLD = Duration.ofSeconds(3);

    private final FrrLab lab;
    private final LabTransport transport;
    private final FrrPrefixProvider provider = new FrrPrefixProvider();

    FrrRouteFormsTest(FrrLab lab, LabTransport transport) {
        this.lab = lab;
        this.transport = transport;
    }

    @BeforeEach
    void defineRouteMaps() {
        // DOWN: a last resort, longer AS path and higher MED; DRAIN: RFC 8326 GRACEFUL_SHUTDOWN.
        lab.host().vtysh("configure terminal",
                "route-map DOWN permit 10", "set as-path prepend 65001 65001", "set metric 500", "exit",
                "route-map DRAIN permit 10", "set community 65535:0", "exit").requireSuccess();
    }

    @Test
    void aServiceWithAWhenDownRouteMapStaysAnnouncedThroughItWhileDownAndTheRouteNeverGoesMissing() throws Exception {
        IpPrefix address = IpPrefix.parse("203.0.113.90");
        lab.host().addLoopbackAddresses(List.of(address));
        ScriptedHealthCheck check = new ScriptedHealthCheck("dns", Duration.ofMillis(100));
        check.healthy();

        try (AnycastRuntime runtime = runtime(service("dns", address, check, true, false))) {
            runtime.start();
            awaitUpstream(address, Attributes.NORMAL);
            try (RoutePoller poller = new RoutePoller(address)) {
                poller.awaitMoreSamples(3);
                check.unhealthy("refused");
                awaitUpstream(address, Attributes.DOWN);
                poller.awaitMoreSamples(3);
                await().atMost(Duration.ofSeconds(5)).until(() -> runtime.status("dns").state() == ServiceStatus.State.DEGRADED);
                assertThat(runtime.status("dns").prefixes().get(0).description()).contains("route-map DOWN");
                java.time.Instant degraded = java.time.Instant.now();
                await().atMost(Duration.ofSeconds(5)).until(() -> runtime.lastReconcile()
                        .filter(outcome -> outcome.at().isAfter(degraded)).isPresent());
                assertThat(runtime.status("dns").prefixes().get(0).description()).as("after a reconcile read it")
                        .contains("route-map DOWN");

                check.healthy();
                awaitUpstream(address, Attributes.NORMAL);
                poller.awaitMoreSamples(3);
                assertThat(poller.missing()).as("polls of " + poller.samples() + " in which the upstream lacked the route").isZero();
            }
        }
        lab.upstream().awaitNoRoute(address);
    }

    @Test
    void aWrongRouteMapSetByHandIsRepairedByTheReconcile() throws Exception {
        IpPrefix address = IpPrefix.parse("203.0.113.91");
        lab.host().addLoopbackAddresses(List.of(address));
        ScriptedHealthCheck check = new ScriptedHealthCheck("dns", Duration.ofMillis(100));
        check.healthy();

        // A reconcile every 2 s leaves the hand-made drift long enough to be seen at the upstream first.
        try (AnycastRuntime runtime = runtime(service("dns", address, check, true, false), Duration.ofSeconds(2))) {
            runtime.start();
            awaitUpstream(address, Attributes.NORMAL);
            await().atMost(Duration.ofSeconds(5)).until(() -> runtime.status("dns").converged());

            networkByHand(address, " route-map DOWN");
            awaitUpstream(address, Attributes.DOWN); // the hand-made drift reached the upstream...
            awaitUpstream(address, Attributes.NORMAL); // ...and the reconcile put the configured form back

            check.unhealthy("refused");
            awaitUpstream(address, Attributes.DOWN);
            await().atMost(Duration.ofSeconds(5)).until(() -> runtime.status("dns").converged());
            networkByHand(address, "");
            awaitUpstream(address, Attributes.NORMAL);
            awaitUpstream(address, Attributes.DOWN);
        }
    }

    @Test
    void aGracefulDrainShowsTheDrainCommunityAtTheUpstreamBeforeTheRouteDisappearsAfterTheHold() throws Exception {
        IpPrefix address = IpPrefix.parse("203.0.113.92");
        lab.host().addLoopbackAddresses(List.of(address));
        ScriptedHealthCheck check = new ScriptedHealthCheck("dns", Duration.ofMillis(100));
        check.healthy();

        try (AnycastRuntime runtime = runtime(service("dns", address, check, false, true))) {
            runtime.start();
            awaitUpstream(address, Attributes.NORMAL);

            long drained = System.nanoTime();
            runtime.drain("dns", Optional.empty(), "maintenance");
            awaitUpstream(address, Attributes.DRAIN);
            assertThat(runtime.status("dns").state()).isEqualTo(ServiceStatus.State.DRAINING);
            lab.upstream().awaitNoRoute(address);
            Duration held = Duration.ofNanos(System.nanoTime() - drained);
            assertThat(held).as("time from the drain until the upstream lost the route").isGreaterThanOrEqualTo(HOLD);
            await().atMost(Duration.ofSeconds(5)).until(() -> runtime.status("dns").state() == ServiceStatus.State.DRAINED);

            runtime.resume("dns");
            awaitUpstream(address, Attributes.NORMAL);
        }
    }

    @Test
    void aResumeDuringTheHoldCancelsItAndTheRouteStays() throws Exception {
        IpPrefix address = IpPrefix.parse("203.0.113.93");
        lab.host().addLoopbackAddresses(List.of(address));
        ScriptedHealthCheck check = new ScriptedHealthCheck("dns", Duration.ofMillis(100));
        check.healthy();
        // A hold long enough that the resume surely comes within it, however loaded the machine.
        Duration hold = Duration.ofSeconds(8);
        Prefix prefix = prefix(address);

        try (AnycastRuntime runtime = runtime(new ServiceDefinition("dns", List.of(prefix), List.of(check), Policy.DEFAULT, "",
                List.of(WhenDown.WITHDRAW), Optional.of(new GracefulDrain(hold, "DRAIN"))))) {
            runtime.start();
            awaitUpstream(address, Attributes.NORMAL);
            try (RoutePoller poller = new RoutePoller(address)) {
                long drained = System.nanoTime();
                runtime.drain("dns", Optional.empty(), "");
                awaitUpstream(address, Attributes.DRAIN);
                assertThat(runtime.status("dns").state()).isEqualTo(ServiceStatus.State.DRAINING);
                runtime.resume("dns");
                awaitUpstream(address, Attributes.NORMAL);
                await().atMost(hold.plusSeconds(10)).until(() -> System.nanoTime() - drained > hold.plusMillis(500).toNanos());
                assertThat(poller.missing()).as("polls of " + poller.samples() + " in which the upstream lacked the route").isZero();
            }
            assertThat(runtime.status("dns").state()).isEqualTo(ServiceStatus.State.ANNOUNCED);
        }
    }

    @Test
    void atShutdownTheDrainCommunityComesFirstAndTheRouteGoesOnlyAfterTheHold() throws Exception {
        IpPrefix address = IpPrefix.parse("203.0.113.94");
        lab.host().addLoopbackAddresses(List.of(address));
        ScriptedHealthCheck check = new ScriptedHealthCheck("dns", Duration.ofMillis(100));
        check.healthy();
        AnycastRuntime runtime = runtime(service("dns", address, check, false, true));
        runtime.start();
        awaitUpstream(address, Attributes.NORMAL);

        long stopping = System.nanoTime();
        CompletableFuture<ShutdownResult> shutdown = CompletableFuture.supplyAsync(() -> runtime.shutdown(Duration.ofSeconds(20)));
        awaitUpstream(address, Attributes.DRAIN);
        lab.upstream().awaitNoRoute(address);

        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isGreaterThanOrEqualTo(HOLD);
        assertThat(shutdown.get().clean()).isTrue();
    }

    @Test
    void aHoldLongerThanTheShutdownBoundIsCutSoTheBoundHolds() throws Exception {
        IpPrefix address = IpPrefix.parse("203.0.113.95");
        lab.host().addLoopbackAddresses(List.of(address));
        ScriptedHealthCheck check = new ScriptedHealthCheck("dns", Duration.ofMillis(100));
        check.healthy();
        Prefix prefix = prefix(address);
        AnycastRuntime runtime = runtime(new ServiceDefinition("dns", List.of(prefix), List.of(check), Policy.DEFAULT, "",
                List.of(WhenDown.WITHDRAW), Optional.of(new GracefulDrain(Duration.ofMinutes(5), "DRAIN"))));
        runtime.start();
        awaitUpstream(address, Attributes.NORMAL);

        long stopping = System.nanoTime();
        ShutdownResult result = runtime.shutdown(Duration.ofSeconds(3));

        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(4));
        assertThat(result.clean()).isTrue();
        lab.upstream().awaitNoRoute(address);
    }

    @Test
    void verificationSaysWhenTheRouteMapIsNotDefinedInFrr() throws Exception {
        Prefix prefix = prefix(IpPrefix.parse("203.0.113.96")).through("NO-SUCH-MAP").orElseThrow();

        assertThatThrownBy(prefix::verify).isInstanceOf(RoutingException.class)
                .hasMessageContaining("FRR has no route-map \"NO-SUCH-MAP\"");
        prefix(IpPrefix.parse("203.0.113.96")).through("DOWN").orElseThrow().verify();
    }

    @Test
    void aRouteMapNameThatCouldHideACommandIsRefused() throws Exception {
        assertThatThrownBy(() -> prefix(IpPrefix.parse("203.0.113.97")).through("X\nno router bgp"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a route-map name");
    }

    /** The upstream's view of the route, as far as these tests tell forms apart. */
    private enum Attributes {
        NORMAL, DOWN, DRAIN;

        static Optional<Attributes> of(JsonNode path) {
            String asPath = path.path("aspath").path("string").asText();
            String community = path.path("community").path("string").asText("");
            if (community.contains("graceful-shutdown")) {
                return Optional.of(DRAIN);
            }
            if (asPath.equals("65001 65001 65001") && path.path("metric").asInt() == 500) {
                return Optional.of(DOWN);
            }
            if (asPath.equals("65001") && path.path("metric").asInt(0) == 0 && community.isEmpty()) {
                return Optional.of(NORMAL);
            }
            return Optional.empty();
        }
    }

    private void awaitUpstream(IpPrefix address, Attributes wanted) {
        await().atMost(Duration.ofSeconds(10)).until(() -> upstreamPaths(address).stream()
                .anyMatch(path -> Attributes.of(path).filter(wanted::equals).isPresent()));
    }

    /** The upstream's paths for {@code address}; none when FRR answers {@code {}}; an error when it answers nothing readable. */
    private List<JsonNode> upstreamPaths(IpPrefix address) throws Exception {
        JsonNode route = JSON.readTree(lab.upstream().route(address));
        if (route == null || !route.isObject()) {
            throw new IllegalStateException("the upstream's answer is not a JSON object: " + route);
        }
        List<JsonNode> paths = new java.util.ArrayList<>();
        route.path("paths").forEach(paths::add);
        return paths;
    }

    private void networkByHand(IpPrefix address, String routeMap) {
        lab.host().vtysh("configure terminal", "router bgp " + FrrLab.HOST_ASN, "address-family ipv4 unicast",
                "network " + address + routeMap).requireSuccess();
    }

    private ServiceDefinition service(String name, IpPrefix address, ScriptedHealthCheck check, boolean whenDown, boolean graceful)
            throws Exception {
        return new ServiceDefinition(name, List.of(prefix(address)), List.of(check), Policy.DEFAULT, "",
                List.of(whenDown ? new WhenDown.Through("DOWN") : WhenDown.WITHDRAW),
                graceful ? Optional.of(new GracefulDrain(HOLD, "DRAIN")) : Optional.empty());
    }

    private Prefix prefix(IpPrefix address) throws Exception {
        Map<String, String> options = new java.util.HashMap<>(transport.options(lab.host()));
        options.put("prefix", address.toString());
        return provider.create(Options.of("services.dns.prefixes.frrouting[0]", options));
    }

    private static AnycastRuntime runtime(ServiceDefinition service) {
        return runtime(service, Duration.ofMillis(500));
    }

    private static AnycastRuntime runtime(ServiceDefinition service, Duration reconcileInterval) {
        return AnycastRuntime.builder()
                .service(service)
                .reconcileInterval(reconcileInterval)
                .operationTimeout(Duration.ofSeconds(5))
                .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                .build();
    }

    /** Polls the upstream's BGP table for one route in its own thread and counts the polls that lacked it. */
    private final class RoutePoller implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Boolean> present = new CopyOnWriteArrayList<>();
        private final java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();
        private final Thread thread;

        RoutePoller(IpPrefix address) {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        present.add(!upstreamPaths(address).isEmpty());
                    } catch (Exception e) {
                        // A failed read of the upstream says nothing of the route: not a sample.
                        errors.incrementAndGet();
                    }
                }
            }, "upstream-poller");
            thread.start();
        }

        int samples() {
            return present.size();
        }

        /** Waits until the poller has read the upstream {@code count} more times. */
        void awaitMoreSamples(int count) {
            int target = present.size() + count;
            await().atMost(Duration.ofSeconds(10)).until(() -> present.size() >= target);
        }

        long missing() {
            return present.stream().filter(seen -> !seen).count();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
