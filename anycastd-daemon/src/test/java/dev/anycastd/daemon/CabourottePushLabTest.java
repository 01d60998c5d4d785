package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.cabourotte.CabourotteCheckProvider;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.runtime.AnycastRuntime;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.Options;
import dev.anycastd.frr.FrrPrefixProvider;
import dev.anycastd.testkit.cabourotte.FakeCabourotte;
import dev.anycastd.testkit.frr.FrrLab;
import dev.anycastd.testkit.frr.FrrLabExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cabourotte's pushes end to end: a pushed failure withdraws a service's prefix from a real
 * upstream router long before the next poll, and a pushed success brings it back. The two
 * adapters meet only here, where the daemon wires them.
 */
@ExtendWith(FrrLabExtension.class)
class CabourottePushLabTest {

    /** The checks are polled every 30 s: within this, only a push explains a change. */
    private static final Duration FAR_LESS_THAN_A_POLL = Duration.ofSeconds(5);

    private final FrrLab lab;

    CabourottePushLabTest(FrrLab lab) {
        this.lab = lab;
    }

    @Test
    void aPushedFailureWithdrawsFromTheUpstreamRouterAndAPushedSuccessAnnouncesAgain() throws Exception {
        IpPrefix address = IpPrefix.parse("198.18.254.53");
        lab.host().addLoopbackAddresses(List.of(address));
        int port = freePort();
        try (FakeCabourotte cabourotte = FakeCabourotte.start().healthy("dns")) {
            try (AnycastRuntime runtime = dnsPolledEvery30sWithPushes(address, cabourotte, port)) {
                runtime.start();
                lab.upstream().awaitRoute(address);
                int polls = cabourotte.readCount("dns");

                cabourotte.failing("dns", "resolver down");
                assertThat(push(port, FakeCabourotte.exporterPushBody("dns", false, "resolver down", Instant.now())))
                        .isEqualTo(204);
                awaitUpstream(address, false);

                cabourotte.healthy("dns");
                assertThat(push(port, FakeCabourotte.exporterPushBody("dns", true, "success", Instant.now()))).isEqualTo(204);
                awaitUpstream(address, true);

                assertThat(cabourotte.readCount("dns")).as("no poll in between").isEqualTo(polls);
            }
            lab.upstream().awaitNoRoute(address);
        }
    }

    @Test
    void aSuccessDatedInTheFutureDoesNotKeepAFailingServiceAnnounced() throws Exception {
        IpPrefix address = IpPrefix.parse("198.18.254.54");
        lab.host().addLoopbackAddresses(List.of(address));
        int port = freePort();
        try (FakeCabourotte cabourotte = FakeCabourotte.start().healthy("dns")) {
            try (AnycastRuntime runtime = dnsPolledEvery30sWithPushes(address, cabourotte, port)) {
                runtime.start();
                lab.upstream().awaitRoute(address);

                // A local process (or a Cabourotte whose clock runs an hour ahead) pushes a success from the future.
                assertThat(push(port, FakeCabourotte.exporterPushBody("dns", true, "success", Instant.now().plusSeconds(3600))))
                        .isEqualTo(204);
                cabourotte.failing("dns", "resolver down");
                assertThat(push(port, FakeCabourotte.exporterPushBody("dns", false, "resolver down", Instant.now())))
                        .isEqualTo(204);
                awaitUpstream(address, false);
            }
        }
    }

    /** Service "dns": {@code address} through the lab's host router, its check polled every 30 s and pushed to {@code port}. */
    private AnycastRuntime dnsPolledEvery30sWithPushes(IpPrefix address, FakeCabourotte cabourotte, int port) throws Exception {
        Prefix prefix = new FrrPrefixProvider().create(Options.of("services.dns.prefixes.frrouting[0]",
                Map.of("prefix", address.toString(), "vtysh", lab.host().vtysh().toString())));
        HealthCheck check = new CabourotteCheckProvider().create(Options.of("services.dns.checks.cabourotte[0]",
                Map.of("name", "dns", "url", cabourotte.url().toString(), "interval", "30s",
                        "push-listen", "127.0.0.1:" + port)));
        return AnycastRuntime.builder().service(new ServiceDefinition("dns", List.of(prefix), List.of(check))).build();
    }

    private void awaitUpstream(IpPrefix address, boolean present) {
        Awaitility.await("upstream " + (present ? "learns " : "loses ") + address)
                .atMost(FAR_LESS_THAN_A_POLL)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> lab.upstream().routes().contains(address) == present);
    }

    private static int push(int port, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/anycastd/cabourotte"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
