package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.daemon.systemd.NotifySocket;
import dev.anycastd.testkit.cabourotte.FakeCabourotte;
import dev.anycastd.testkit.frr.FrrLab;
import dev.anycastd.testkit.frr.FrrLabExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon watched as operators watch it: systemd's notify socket (a stand-in the
 * test binds) and {@code /metrics} over HTTP, against a real FRR, while a service flips.
 */
@ExtendWith(FrrLabExtension.class)
class MonitoringEndToEndIT {

    private static final IpPrefix WEB = IpPrefix.parse("203.0.113.88");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path work;

    private final FrrLab lab;
    private final HttpClient http = HttpClient.newHttpClient();

    MonitoringEndToEndIT(FrrLab lab) {
        this.lab = lab;
    }

    @Test
    void notifiesSystemdAndServesMetricsThatFollowAFlippingService() throws Exception {
        Path home = Tarball.unpack(Files.createDirectories(work.resolve("installation")));
        lab.host().addLoopbackAddresses(List.of(WEB));
        int port = freePort();
        try (FakeCabourotte cabourotte = FakeCabourotte.start().healthy("web");
                NotifySocket systemd = NotifySocket.bind(work.resolve("notify"))) {
            Path config = Files.writeString(work.resolve("config.toml"), """
                    [services.web]
                    prefixes.frrouting = [{ prefix = "%s", vtysh = "%s" }]
                    checks.cabourotte = [{ name = "web", url = "%s", interval = "500ms" }]
                    """.formatted(WEB, lab.host().vtysh(), cabourotte.url()));
            LauncherProcess launcher = LauncherProcess.start(home.resolve("bin/anycastd"), work,
                    Map.of("LOG_FORMAT", "human", "NO_COLOR", "1", "NOTIFY_SOCKET", systemd.path().toString(),
                            "WATCHDOG_USEC", "3000000", "METRICS_LISTEN", "127.0.0.1:" + port),
                    "run", "--config", config.toString());
            try {
                await("READY").atMost(PATIENCE).until(() -> systemd.count("READY=1") == 1);
                assertThat(lab.host().runningConfig()).as("READY comes when FRR holds what it should").contains("network " + WEB);
                lab.upstream().awaitRoute(WEB);
                String url = "http://127.0.0.1:" + port + "/metrics";
                assertThat(MetricsLabTest.value(scrape(url), "anycastd_service_state{service=\"web\",state=\"announced\"}")).contains(1.0);
                assertThat(scrape(url)).contains("anycastd_build_info{");
                long pings = systemd.count("WATCHDOG=1");
                await("watchdog pings from the reconcile loop, every second under WATCHDOG_USEC=3s").atMost(PATIENCE)
                        .until(() -> systemd.count("WATCHDOG=1") >= pings + 2);

                cabourotte.failing("web", "HTTP 503");
                lab.upstream().awaitNoRoute(WEB);
                await().atMost(PATIENCE).until(() -> MetricsLabTest.value(scrape(url),
                        "anycastd_service_state{service=\"web\",state=\"withdrawn\"}").equals(Optional.of(1.0)));
                await().atMost(PATIENCE).until(() -> systemd.messages().stream()
                        .anyMatch(message -> message.contains("STATUS=0 announced, 1 withdrawn, 0 drained")));

                // systemctl reload sends SIGHUP: systemd hears RELOADING=1, then READY=1 once the reload is done.
                long readies = systemd.count("READY=1");
                EndToEndLab.signal(launcher, "HUP");
                await("RELOADING, then READY").atMost(PATIENCE).until(() -> systemd.count("READY=1") > readies);
                assertThat(systemd.messages()).filteredOn(message -> message.contains("RELOADING=1")).hasSize(1);
                assertThat(String.join("\n", systemd.messages()))
                        .containsSubsequence("RELOADING=1", "READY=1\nSTATUS=0 announced, 1 withdrawn, 0 drained");

                EndToEndLab.signal(launcher, "TERM");
                assertThat(launcher.waitFor()).as(launcher.err()).isZero();
                assertThat(systemd.count("STOPPING=1")).isEqualTo(1);
                assertThat(launcher.out()).contains("Serving Prometheus metrics on http://127.0.0.1:" + port + "/metrics.");
            } finally {
                launcher.process.destroyForcibly();
                EndToEndLab.printOutput(launcher);
            }
        }
    }

    private String scrape(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
