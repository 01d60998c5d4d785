package dev.anycastd.cabourotte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.runtime.AnycastRuntime;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.FakePrefix;
import dev.anycastd.testkit.cabourotte.FakeCabourotte;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A Cabourotte check driving a service through the real runtime, as the daemon runs it. */
class CabourotteRuntimeTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    /** Far below the 30 s poll interval of the push test. */
    private static final Duration PUSH_DEADLINE = Duration.ofSeconds(2);

    private final FakeCabourotte cabourotte = FakeCabourotte.start();

    @AfterEach
    void stop() {
        cabourotte.close();
    }

    @Test
    void announcesWhileTheCabourotteCheckPassesAndWithdrawsWhenItFails() throws Exception {
        HealthCheck check = new CabourotteCheckProvider().create(Options.of("services.dns.checks.cabourotte[0]",
                Map.of("name", "dns", "url", cabourotte.url().toString(), "interval", "200ms")));
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        cabourotte.healthy("dns");

        try (AnycastRuntime runtime = AnycastRuntime.builder()
                .service(new ServiceDefinition("dns", List.of(prefix), List.of(check)))
                .build()) {
            runtime.start();
            await().atMost(DEADLINE).until(prefix::announced);

            cabourotte.failing("dns", "resolver down");
            await().atMost(DEADLINE).until(() -> !prefix.announced());
            assertThat(runtime.status("dns").checks()).containsEntry("dns", Health.unhealthy("resolver down"));

            cabourotte.delete("dns");
            await().atMost(DEADLINE).until(() -> runtime.status("dns").checks().get("dns") instanceof Health.Unhealthy missing
                    && missing.reason().startsWith("check \"dns\" does not exist"));
            assertThat(prefix.announced()).isFalse();

            cabourotte.healthy("dns");
            await().atMost(DEADLINE).until(prefix::announced);
        }
        assertThat(prefix.announced()).as("withdrawn at shutdown").isFalse();
        assertThat(cabourotte.requestCount("dns")).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aPushedResultFlipsTheServiceLongBeforeTheNextPoll() throws Exception {
        int port = Ports.free();
        // Polled every 30 s: within the 2 s allowed below, only a push can change the service.
        HealthCheck check = new CabourotteCheckProvider().create(Options.of("services.dns.checks.cabourotte[0]",
                Map.of("name", "dns", "url", cabourotte.url().toString(), "interval", "30s", "push-listen", "127.0.0.1:" + port)));
        FakePrefix prefix = FakePrefix.of("203.0.113.53");
        cabourotte.healthy("dns");

        try (AnycastRuntime runtime = AnycastRuntime.builder()
                .service(new ServiceDefinition("dns", List.of(prefix), List.of(check)))
                .build()) {
            runtime.start();
            await().atMost(DEADLINE).until(prefix::announced);
            await().atMost(DEADLINE).until(() -> cabourotte.requestCount("dns") == 1);

            cabourotte.failing("dns", "resolver down");
            push(port, FakeCabourotte.exporterPushBody("dns", false, "resolver down", Instant.now()));
            await().atMost(PUSH_DEADLINE).until(() -> !prefix.announced());
            assertThat(runtime.status("dns").checks()).containsEntry("dns", Health.unhealthy("resolver down"));

            cabourotte.healthy("dns");
            push(port, FakeCabourotte.exporterPushBody("dns", true, "success", Instant.now()));
            await().atMost(PUSH_DEADLINE).until(prefix::announced);

            assertThat(cabourotte.requestCount("dns")).as("no poll in between").isEqualTo(1);
        }
        assertThat(prefix.announced()).as("withdrawn at shutdown").isFalse();
        assertThat(canBind(port)).as("the push socket is released at shutdown").isTrue();
    }

    private static void push(int port, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/anycastd/cabourotte"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
