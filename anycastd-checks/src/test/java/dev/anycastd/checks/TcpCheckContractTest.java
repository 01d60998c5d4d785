package dev.anycastd.checks;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.contract.HealthCheckContract;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The tcp check honours the contract every check is held to. */
class TcpCheckContractTest extends HealthCheckContract {

    private ServerSocket server;
    private Listeners.Silent silent;

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
        if (silent != null) {
            silent.close();
        }
    }

    private static HealthCheck check(String address, String timeout) throws Exception {
        return new TcpCheckProvider().create(Options.of("services.contract.checks.tcp[0]",
                Map.of("address", address, "interval", "1s", "timeout", timeout)));
    }

    @Override
    protected HealthCheck healthyCheck() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return check("127.0.0.1:" + server.getLocalPort(), "800ms");
    }

    @Override
    protected HealthCheck failingCheck() throws Exception {
        return check("127.0.0.1:" + Listeners.closedPort(), "800ms");
    }

    @Override
    protected HealthCheck unreachableCheck() throws Exception {
        return check("no-such-host.invalid:80", "800ms");
    }

    @Override
    protected HealthCheck slowCheck() throws Exception {
        silent = new Listeners.Silent();
        return check("127.0.0.1:" + silent.port(), "300ms");
    }
}
