package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.testkit.frr.FrrLab;
import dev.anycastd.testkit.frr.FrrLabExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's own check types (tcp at 100 ms, http, exec) as the packaged daemon runs them in
 * the FRR lab: a service is announced while its check passes and its route is gone at the
 * upstream router once the check fails, and back when it passes again, each service on its own.
 */
@ExtendWith(FrrLabExtension.class)
class ChecksEndToEndIT {

    private static final IpPrefix TCP = IpPrefix.parse("203.0.113.191");
    private static final IpPrefix HTTP = IpPrefix.parse("203.0.113.192");
    private static final IpPrefix EXEC = IpPrefix.parse("203.0.113.193");

    @TempDir
    static Path installation;

    static Path home;

    @TempDir
    Path work;

    private final FrrLab lab;
    private EndToEndLab e2e;
    private Listener listener;
    private HttpServer http;

    ChecksEndToEndIT(FrrLab lab) {
        this.lab = lab;
    }

    @BeforeAll
    static void unpackTheTarballAndPutTheServiceAddressesOnTheHost(FrrLab lab) throws Exception {
        home = EndToEndLab.unpack(installation, lab, List.of(TCP, HTTP, EXEC));
    }

    @BeforeEach
    void start() {
        e2e = new EndToEndLab(lab, home, work);
    }

    @AfterEach
    void stop() throws IOException {
        e2e.close();
        if (listener != null) {
            listener.close();
        }
        if (http != null) {
            http.stop(0);
        }
    }

    private String prefix(IpPrefix prefix) {
        return "prefixes.frrouting = [{ prefix = \"%s\", vtysh = \"%s\" }]".formatted(prefix, lab.host().vtysh());
    }

    @Test
    void eachCheckTypeAnnouncesWhileItPassesAndWithdrawsWhenItFails() throws Exception {
        listener = new Listener(0);
        int port = listener.port();
        AtomicInteger status = new AtomicInteger(200);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        http.start();
        Path exitCode = Files.writeString(work.resolve("exit-code"), "0");
        Path script = work.resolve("check.sh");
        Files.writeString(script, "#!/bin/sh\nexit $(cat " + exitCode + ")\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        // tcp at 100 ms; http and exec slower, and fall = 3: on a shared, loaded test machine starting a
        // process or a first HTTP exchange can miss an 80 ms timeout, and the point here is that each
        // type's failure withdraws, not how a lone blip is treated (the benchmark measures speed).
        e2e.run("""
                [services.tcp]
                fall = 3
                %s
                checks.tcp = [{ address = "127.0.0.1:%d", interval = "100ms" }]

                [services.http]
                fall = 3
                %s
                checks.http = [{ url = "http://127.0.0.1:%d/health", interval = "500ms" }]

                [services.exec]
                fall = 3
                %s
                checks.exec = [{ command = "%s", interval = "1s" }]
                """.formatted(prefix(TCP), port, prefix(HTTP), http.getAddress().getPort(), prefix(EXEC), script));
        e2e.awaitUpstreamHas(TCP, HTTP, EXEC);

        listener.close();
        long closed = System.nanoTime();
        e2e.awaitUpstreamLacks(TCP);
        System.out.printf("tcp listener closed -> route gone upstream: %d ms%n", (System.nanoTime() - closed) / 1_000_000);
        assertThat(lab.upstream().routes()).contains(HTTP, EXEC);
        listener = new Listener(port);
        e2e.awaitUpstreamHas(TCP);

        status.set(503);
        e2e.awaitUpstreamLacks(HTTP);
        assertThat(lab.upstream().routes()).contains(TCP, EXEC);
        status.set(200);
        e2e.awaitUpstreamHas(HTTP);

        Files.writeString(exitCode, "1");
        e2e.awaitUpstreamLacks(EXEC);
        assertThat(lab.upstream().routes()).contains(TCP, HTTP);
        Files.writeString(exitCode, "0");
        e2e.awaitUpstreamHas(EXEC);

        e2e.awaitLog("Check tcp 127.0.0.1:" + port + " is now unhealthy: connection to 127.0.0.1:" + port + " refused.");
        assertThat(e2e.terminate()).isZero();
    }

    /** A TCP listener on 127.0.0.1 that accepts and closes every connection, as a live service would answer a check. */
    private static final class Listener implements AutoCloseable {
        private final ServerSocket server;

        Listener(int port) throws IOException {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket connection = server.accept()) {
                        // Accepted: the check has its answer; closing is all that is left.
                    } catch (IOException e) {
                        // Closed by the test.
                    }
                }
            }, "tcp-check-listener");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
