package dev.anycastd.checks;

import com.sun.net.httpserver.HttpServer;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.contract.HealthCheckContract;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;

/** The http check honours the contract every check is held to. */
class HttpCheckContractTest extends HealthCheckContract {

    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(int status, boolean hang) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            if (hang) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
    }

    private static HealthCheck check(String url, String timeout) throws Exception {
        return new HttpCheckProvider().create(Options.of("services.contract.checks.http[0]",
                Map.of("url", url, "interval", "5s", "timeout", timeout)));
    }

    @Override
    protected HealthCheck healthyCheck() throws Exception {
        return check(serve(200, false), "4s");
    }

    @Override
    protected HealthCheck failingCheck() throws Exception {
        return check(serve(500, false), "4s");
    }

    @Override
    protected HealthCheck unreachableCheck() throws Exception {
        return check("http://no-such-host.invalid/health", "4s");
    }

    @Override
    protected HealthCheck slowCheck() throws Exception {
        return check(serve(200, true), "300ms");
    }
}
