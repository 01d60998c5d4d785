package dev.anycastd.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A tcp check against local listeners that accept, refuse or stay silent. */
class TcpCheckTest {

    private final TcpCheckProvider provider = new TcpCheckProvider();

    private HealthCheck check(String address, String timeout) throws ConfigurationException {
        Map<String, Object> options = new HashMap<>(Map.of("address", address, "interval", "1s"));
        if (timeout != null) {
            options.put("timeout", timeout);
        }
        return provider.create(Options.of("services.web.checks.tcp[0]", options));
    }

    @Test
    void aListenerThatAcceptsIsHealthy() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(check("127.0.0.1:" + server.getLocalPort(), null).check()).isEqualTo(Health.healthy());
        }
    }

    @Test
    void aRefusedConnectionIsUnhealthy() throws Exception {
        int port = Listeners.closedPort();

        assertThat(check("127.0.0.1:" + port, null).check())
                .isEqualTo(Health.unhealthy("connection to 127.0.0.1:" + port + " refused"));
    }

    @Test
    void noAnswerWithinTheTimeoutIsUnknown() throws Exception {
        try (Listeners.Silent silent = new Listeners.Silent()) {
            String address = "127.0.0.1:" + silent.port();

            assertThat(check(address, "300ms").check())
                    .isEqualTo(Health.unknown("no connection to " + address + " within 300 ms"));
        }
    }

    @Test
    void aHostNameThatDoesNotResolveIsUnknown() throws Exception {
        assertThat(check("no-such-host.invalid:53", null).check()).isEqualTo(Health.unknown("cannot resolve no-such-host.invalid"));
    }

    @Test
    void anIpv6AddressInBracketsIsChecked() throws Exception {
        int port = Listeners.closedPort();

        assertThat(check("[::1]:" + port, null).check()).isNotEqualTo(Health.healthy());
    }

    @Test
    void aRunCancelledByTheRuntimeClosesItsSocketAndCompletes() throws Exception {
        try (Listeners.Silent silent = new Listeners.Silent()) {
            CompletableFuture<Health> run = check("127.0.0.1:" + silent.port(), "1s").checkAsync().toCompletableFuture();

            run.cancel(true);

            assertThat(run).isCancelled();
        }
    }

    @Test
    void aListenerThatClosesTurnsTheCheckUnhealthyAndOneThatReopensHealthyAgain() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = server.getLocalPort();
        HealthCheck check = check("127.0.0.1:" + port, null);
        assertThat(check.check()).isEqualTo(Health.healthy());

        server.close();
        assertThat(check.check()).isInstanceOf(Health.Unhealthy.class);

        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            await().atMost(Duration.ofSeconds(10)).until(() -> check.check().equals(Health.healthy()));
        }
    }

    @Test
    void describesItselfWithItsAddress() throws Exception {
        assertThat(check("127.0.0.1:53", null).describe()).isEqualTo("tcp 127.0.0.1:53");
        assertThat(provider.create(Options.of("p", Map.of("address", "127.0.0.1:53", "name", "dns"))).describe())
                .isEqualTo("tcp dns 127.0.0.1:53");
    }
}
