package com.example.anycastd.http;

import com.sun.net.httpserver.HttpServer;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.testkit.contract.HealthCheckContract;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The testkit's contract for checks, against a small HTTP server on the loopback address. */
class HttpCheckTest extends HealthCheckContract {

    private final HttpClient client = HttpClient.newHttpClient();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ok", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/failing", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.createContext("/slow", exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    private HealthCheck check(URI url, Duration timeout) {
        return new HttpCheck("under-test", url, Duration.ofSeconds(1), timeout, client);
    }

    private URI at(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    protected HealthCheck healthyCheck() {
        return check(at("/ok"), Duration.ofSeconds(1));
    }

    @Override
    protected HealthCheck failingCheck() {
        return check(at("/failing"), Duration.ofSeconds(1));
    }

    /** A port on the loopback address that nothing listens on any more: the connection is refused. */
    @Override
    protected HealthCheck unreachableCheck() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return check(URI.create("http://127.0.0.1:" + port + "/ok"), Duration.ofSeconds(1));
    }

    @Override
    protected HealthCheck slowCheck() {
        return check(at("/slow"), Duration.ofMillis(300));
    }
}
