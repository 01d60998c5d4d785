package dev.anycastd.frr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.runtime.AnycastRuntime;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.frr.FrrLab;
import dev.anycastd.testkit.frr.FrrLabExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime driving real FRR: drift is repaired and a stuck router call does not hold other
 * services back. Run once for each transport ({@link FrrRuntimeThroughVtyshTest},
 * {@link FrrRuntimeThroughVtySocketTest}), each with a lab of its own.
 */
@ExtendWith(FrrLabExtension.class)
abstract class FrrRuntimeTest {

    private static final Duration RECONCILE = Duration.ofSeconds(1);

    final FrrLab lab;
    final FrrPrefixProvider provider = new FrrPrefixProvider();
    private final LabTransport transport;

    @TempDir
    Path directory;

    FrrRuntimeTest(FrrLab lab, LabTransport transport) {
        this.lab = lab;
        this.transport = transport;
    }

    /**
     * A prefix whose router calls answer start-up's verification (the AS number), then hang on
     * every change; its timeout is 2 s.
     */
    abstract Prefix hangingPrefix(String address) throws Exception;

    @Test
    void afterBgpdRestartsTheRuntimeSeesThePrefixesGoneAndAnnouncesThemAgain() throws Exception {
        List<IpPrefix> addresses = List.of(IpPrefix.parse("203.0.113.80"), IpPrefix.parse("2001:db8::80"));
        lab.host().addLoopbackAddresses(addresses);
        List<Prefix> prefixes = List.of(prefix("203.0.113.80"), prefix("2001:db8::80"));

        try (AnycastRuntime runtime = runtime(new ServiceDefinition("dns", prefixes, List.of(new AlwaysHealthy())))) {
            runtime.start();
            lab.upstream().awaitRoutes(addresses);

            // The restarted bgpd has only its start-up configuration (FrrLabTest proves it), so the
            // upstream can learn the prefixes again only if the runtime notices and re-announces them.
            lab.host().restartBgpd();

            lab.upstream().awaitRoutes(addresses);
            assertThat(prefixes.get(0).isAnnounced()).isTrue();
        }
        lab.upstream().awaitNoRoutes(addresses);
    }

    @Test
    void aServiceWhoseRouterCallsHangDoesNotHoldBackAnotherService() throws Exception {
        IpPrefix healthyAddress = IpPrefix.parse("203.0.113.81");
        lab.host().addLoopbackAddresses(List.of(healthyAddress));
        Prefix stuck = hangingPrefix("203.0.113.82");

        try (AnycastRuntime runtime = runtime(
                new ServiceDefinition("ntp", List.of(stuck), List.of(new AlwaysHealthy())),
                new ServiceDefinition("dns", List.of(prefix(healthyAddress.toString())), List.of(new AlwaysHealthy())))) {
            runtime.start();

            lab.upstream().awaitRoute(healthyAddress);
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.status("dns").converged());
            assertThat(runtime.status("ntp").converged()).isFalse();
        }
        lab.upstream().awaitNoRoute(healthyAddress);
    }

    private AnycastRuntime runtime(ServiceDefinition... services) {
        return AnycastRuntime.builder()
                .services(List.of(services))
                .reconcileInterval(RECONCILE)
                .operationTimeout(Duration.ofSeconds(5))
                .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                .build();
    }

    private Prefix prefix(String prefix) throws Exception {
        Map<String, String> options = new java.util.HashMap<>(transport.options(lab.host()));
        options.put("prefix", prefix);
        return provider.create(Options.of("services.dns.prefixes.frrouting[0]", options));
    }

    /** A check that always passes: these tests are about FRR, not health. */
    private static final class AlwaysHealthy implements HealthCheck {
        @Override
        public String name() {
            return "always";
        }

        @Override
        public Duration interval() {
            return Duration.ofMillis(200);
        }

        @Override
        public Health check() {
            return Health.healthy();
        }
    }
}
