package dev.anycastd.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.cabourotte.SelfSignedCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An http check against the JDK's HTTP server, answering as each test scripts it. */
class HttpCheckTest {

    private final HttpCheckProvider provider = new HttpCheckProvider();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> body = new AtomicReference<>("ok");
    private final AtomicReference<String> lastMethod = new AtomicReference<>();
    private final Set<String> clients = ConcurrentHashMap.newKeySet();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hang;
    private HttpServer server;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private String start(HttpServer created) {
        server = created;
        server.createContext("/", this::answer);
        server.start();
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    private String start() throws IOException {
        return start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    private void answer(HttpExchange exchange) throws IOException {
        lastMethod.set(exchange.getRequestMethod());
        clients.add(exchange.getRemoteAddress().toString());
        if (hang) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status.get(), -1);
        } else {
            exchange.sendResponseHeaders(status.get(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    private HealthCheck check(Map<String, Object> values) throws ConfigurationException {
        Map<String, Object> options = new HashMap<>(Map.of("interval", "5s"));
        options.putAll(values);
        return provider.create(Options.of("services.web.checks.http[0]", options));
    }

    @Test
    void anExpectedStatusIsHealthy() throws Exception {
        String url = start() + "/health";

        assertThat(check(Map.of("url", url)).check()).isEqualTo(Health.healthy());
        assertThat(lastMethod.get()).isEqualTo("GET");
    }

    @Test
    void anotherStatusIsUnhealthyWithIt() throws Exception {
        String url = start() + "/health";
        status.set(503);

        assertThat(check(Map.of("url", url)).check())
                .isEqualTo(Health.unhealthy("GET " + url + " answered 503, expected 200-399"));
    }

    @Test
    void expectedStatusesAreTheOperatorsToChoose() throws Exception {
        String url = start() + "/health";
        status.set(302);
        HealthCheck onlyOk = check(Map.of("url", url, "expected-status", java.util.List.of(200L, "204-206")));

        assertThat(onlyOk.check()).isEqualTo(Health.unhealthy("GET " + url + " answered 302, expected 200,204-206"));
        status.set(205);
        assertThat(onlyOk.check()).isEqualTo(Health.healthy());
    }

    @Test
    void aBodyWithoutTheTextIsUnhealthy() throws Exception {
        String url = start() + "/health";
        body.set("status: degraded");
        HealthCheck check = check(Map.of("url", url, "body-contains", "status: ok"));

        assertThat(check.check()).isEqualTo(Health.unhealthy("GET " + url + " answered 200 without \"status: ok\" in the first 16 "
                + "bytes of its body"));
        body.set("status: ok");
        assertThat(check.check()).isEqualTo(Health.healthy());
    }

    @Test
    void onlyTheStartOfALargeBodyIsRead() throws Exception {
        String url = start() + "/health";
        body.set("x".repeat(HttpCheck.BODY_LIMIT) + "needle");

        assertThat(check(Map.of("url", url, "body-contains", "needle")).check()).isInstanceOf(Health.Unhealthy.class);
    }

    @Test
    void headSendsAHead() throws Exception {
        String url = start() + "/health";

        assertThat(check(Map.of("url", url, "method", "HEAD")).check()).isEqualTo(Health.healthy());
        assertThat(lastMethod.get()).isEqualTo("HEAD");
    }

    @Test
    void aRefusedConnectionIsUnhealthy() throws Exception {
        String url = "http://127.0.0.1:" + Listeners.closedPort() + "/health";

        assertThat(check(Map.of("url", url)).check()).isEqualTo(Health.unhealthy("connection to " + url + " refused"));
    }

    @Test
    void noAnswerWithinTheTimeoutIsUnknown() throws Exception {
        String url = start() + "/health";
        hang = true;

        assertThat(check(Map.of("url", url, "timeout", "300ms")).check())
                .isEqualTo(Health.unknown("no answer from " + url + " within 300 ms"));
    }

    @Test
    void runsReuseOneKeptAliveConnection() throws Exception {
        String url = start() + "/health";
        HealthCheck check = check(Map.of("url", url));

        for (int run = 0; run < 5; run++) {
            assertThat(check.check()).isEqualTo(Health.healthy());
        }

        assertThat(clients).hasSize(1);
    }

    @Test
    void checksOfOneTrustShareOneClient() throws Exception {
        String url = start();
        check(Map.of("url", url + "/a"));
        check(Map.of("url", url + "/b"));

        assertThat(provider.clientCount()).isEqualTo(1);
    }

    @Test
    void httpsWithACaFileTrustsThatCa(@TempDir Path directory) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(directory);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
        String url = start(https) + "/health";

        // A TLS handshake on a loaded machine: a generous timeout.
        assertThat(check(Map.of("url", url, "ca-file", certificate.pemFile().toString(), "interval", "10s")).check())
                .isEqualTo(Health.healthy());
        assertThat(new HttpCheckProvider().create(Options.of("p", Map.of("url", url, "interval", "10s"))).check())
                .isInstanceOfSatisfying(Health.Unknown.class, unknown -> assertThat(unknown.error()).startsWith("TLS with " + url));
    }

    @Test
    void checkConfigShowsTheSettings() throws Exception {
        HealthCheck check = check(Map.of("url", "http://127.0.0.1:8080/health", "name", "web", "body-contains", "ok"));

        assertThat(check.describe()).isEqualTo("http web GET http://127.0.0.1:8080/health");
        assertThat(check.settings()).containsExactly("expected-status 200-399", "body-contains \"ok\"");
    }
}
