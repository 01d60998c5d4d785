package dev.anycastd.cabourotte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link BoundedHttpServer} over real sockets on loopback, with a handler that records what it is told. */
class BoundedHttpServerTest {

    private static final String ACCEPTED = "HTTP/1.1 204 No Content\r\n\r\n";

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> reports = new CopyOnWriteArrayList<>();
    /** While not null, requests wait for it to open; {@link #handling} counts them down as they start. */
    private volatile CountDownLatch gate;
    private volatile CountDownLatch handling = new CountDownLatch(0);
    /** Holds the server's thread in {@code head} of a request to /slow-head until it opens. */
    private final CountDownLatch headGate = new CountDownLatch(1);
    private final CountDownLatch inSlowHead = new CountDownLatch(1);
    private BoundedHttpServer server;

    private final BoundedHttpServer.Handler handler = new BoundedHttpServer.Handler() {
        @Override
        public HttpAnswer head(RequestHead head) {
            if (head.path().equals("/slow-head")) {
                inSlowHead.countDown();
                await().atMost(Duration.ofSeconds(10)).until(() -> headGate.getCount() == 0);
            }
            return head.path().equals("/refused") ? HttpAnswer.refusal(401, "secret", "no") : null;
        }

        @Override
        public HttpAnswer request(RequestHead head, byte[] body) {
            handling.countDown();
            CountDownLatch waitFor = gate;
            if (waitFor != null) {
                try {
                    waitFor.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (head.path().equals("/failing")) {
                throw new IllegalStateException("the handler is broken");
            }
            requests.add(head.method() + " " + head.path() + " " + new String(body, StandardCharsets.UTF_8));
            return HttpAnswer.ACCEPTED;
        }

        @Override
        public void refused(RequestHead head, InetAddress client, HttpAnswer answer) {
            reports.add("refused " + answer.status() + " " + answer.kind());
        }

        @Override
        public void dropped(InetAddress client, String kind, String reason) {
            reports.add("dropped " + kind + ": " + reason);
        }

        @Override
        public void failed(Exception cause) {
            reports.add("failed " + cause);
        }
    };

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        if (gate != null) {
            gate.countDown();
        }
        headGate.countDown();
    }

    @Test
    void answersARequestSentBehindAnotherOnTheSameConnectionAfterTheFirst() throws Exception {
        open(limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 8, 8));

        try (RawConnection client = RawConnection.to(server.port())) {
            client.send(post("/a", "1") + post("/b", "22"));

            assertThat(client.awaitReceivedAsMuchAs(ACCEPTED + ACCEPTED, Duration.ofSeconds(2))).isEqualTo(ACCEPTED + ACCEPTED);
            assertThat(client.closedByServer()).isFalse();
        }
        assertThat(requests).containsExactly("POST /a 1", "POST /b 22");
    }

    @Test
    void sends100ContinueOnlyOnceTheHeadIsAccepted() throws Exception {
        open(limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 8, 8));
        String head = "POST %s HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n";

        try (RawConnection accepted = RawConnection.to(server.port()); RawConnection refused = RawConnection.to(server.port())) {
            accepted.send(head.formatted("/a"));
            assertThat(accepted.awaitReceivedAsMuchAs("HTTP/1.1 100 Continue\r\n\r\n", Duration.ofSeconds(2)))
                    .isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            accepted.send("[]");
            assertThat(accepted.awaitReceivedAsMuchAs("HTTP/1.1 100 Continue\r\n\r\n" + ACCEPTED, Duration.ofSeconds(2)))
                    .endsWith(ACCEPTED);

            refused.send(head.formatted("/refused"));
            assertThat(refused.awaitClosed(Duration.ofSeconds(2))).startsWith("HTTP/1.1 401 Unauthorized\r\n");
        }
    }

    @Test
    void closesAKeptAliveConnectionIdleForTheIdleTimeoutWithoutAReport() throws Exception {
        open(limits(Duration.ofSeconds(30), Duration.ofMillis(300), 8, 8));

        try (RawConnection client = RawConnection.to(server.port())) {
            client.send(post("/a", "1"));

            assertThat(client.awaitClosed(Duration.ofSeconds(5))).isEqualTo(ACCEPTED);
        }
        assertThat(reports).isEmpty();
    }

    @Test
    void closesARefusedConnectionAfterTheLingerEvenIfTheClientGoesOnSending() throws Exception {
        open(limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 8, 8));
        ScheduledExecutorService sending = Executors.newSingleThreadScheduledExecutor();

        try (RawConnection client = RawConnection.to(server.port())) {
            client.send("POST /refused HTTP/1.1\r\nContent-Length: 60000\r\n\r\n" + "x".repeat(30_000));
            sending.scheduleAtFixedRate(() -> client.trickle("x"), 10, 10, TimeUnit.MILLISECONDS);

            assertThat(client.awaitClosed(BoundedHttpServer.LINGER.plusSeconds(3))).startsWith("HTTP/1.1 401 Unauthorized\r\n");
        } finally {
            sending.shutdownNow();
        }
    }

    @Test
    void answers503WhenMoreCompleteRequestsWaitThanTheBound() throws Exception {
        open(new BoundedHttpServer.Limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 8, 8, 1024, 1024, 1));
        gate = new CountDownLatch(1);
        handling = new CountDownLatch(1);

        try (RawConnection first = RawConnection.to(server.port()); RawConnection second = RawConnection.to(server.port());
                RawConnection third = RawConnection.to(server.port())) {
            first.send(post("/first", "1"));
            await().atMost(Duration.ofSeconds(5)).until(() -> handling.getCount() == 0);
            second.send(post("/second", "2"));
            third.send(post("/third", "3"));

            // One of the two waits for the handling thread, the other finds no room to wait.
            await().atMost(Duration.ofSeconds(2)).until(() -> second.closedByServer() || third.closedByServer());
            RawConnection refused = second.closedByServer() ? second : third;
            RawConnection waiting = refused == second ? third : second;
            assertThat(refused.received()).startsWith("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n");
            gate.countDown();
            assertThat(first.awaitReceivedAsMuchAs(ACCEPTED, Duration.ofSeconds(2))).isEqualTo(ACCEPTED);
            assertThat(waiting.awaitReceivedAsMuchAs(ACCEPTED, Duration.ofSeconds(2))).isEqualTo(ACCEPTED);
        }
        assertThat(reports).containsExactly("refused 503 busy");
    }

    @Test
    void refusesANewConnectionWhenEveryConnectionOfItsAddressIsBeingAnswered() throws Exception {
        open(limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 1, 8));
        gate = new CountDownLatch(1);
        handling = new CountDownLatch(1);

        try (RawConnection answering = RawConnection.to(server.port())) {
            answering.send(post("/a", "1"));
            await().atMost(Duration.ofSeconds(5)).until(() -> handling.getCount() == 0);

            try (RawConnection newcomer = RawConnection.to(server.port())) {
                assertThat(newcomer.awaitClosed(Duration.ofSeconds(2))).isEmpty();
            }
            gate.countDown();
            assertThat(answering.awaitReceivedAsMuchAs(ACCEPTED, Duration.ofSeconds(2))).isEqualTo(ACCEPTED);
        }
        assertThat(reports).containsExactly("dropped connections_per_address: it came when all 1 connections from its address, "
                + "the most allowed, were being answered");
    }

    @Test
    void makesRoomByClosingAConnectionInTheMiddleOfARequestBeforeAnIdleOne() throws Exception {
        open(limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 2, 8));

        try (RawConnection idle = RawConnection.to(server.port()); RawConnection slow = RawConnection.to(server.port())) {
            idle.send(post("/a", "1"));
            idle.awaitReceivedAsMuchAs(ACCEPTED, Duration.ofSeconds(2));
            slow.send("POST /b HT");

            try (RawConnection newcomer = RawConnection.to(server.port())) {
                assertThat(slow.awaitClosed(Duration.ofSeconds(2))).isEmpty();
                idle.send(post("/a", "2"));
                assertThat(idle.awaitReceivedAsMuchAs(ACCEPTED + ACCEPTED, Duration.ofSeconds(2))).isEqualTo(ACCEPTED + ACCEPTED);
                newcomer.send(post("/c", "3"));
                assertThat(newcomer.awaitReceivedAsMuchAs(ACCEPTED, Duration.ofSeconds(2))).isEqualTo(ACCEPTED);
            }
        }
        assertThat(reports).containsExactly("dropped connections_per_address: it made room for a newer one, as 2 connections from "
                + "its address is the most allowed");
    }

    @Test
    void refusesANewcomerRatherThanCloseAConnectionWhoseCompleteRequestCameMeanwhile() throws Exception {
        open(limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 2, 8));
        gate = new CountDownLatch(1);

        try (RawConnection holding = RawConnection.to(server.port()); RawConnection complete = RawConnection.to(server.port())) {
            holding.send(post("/slow-head", "1"));
            await().atMost(Duration.ofSeconds(5)).until(() -> inSlowHead.getCount() == 0);
            // While the server's thread is held, a complete request and a newcomer arrive together.
            complete.send(post("/complete", "2"));
            try (RawConnection newcomer = RawConnection.to(server.port())) {
                headGate.countDown();

                assertThat(newcomer.awaitClosed(Duration.ofSeconds(2))).as("no room: both others are being answered").isEmpty();
                gate.countDown();
                assertThat(complete.awaitReceivedAsMuchAs(ACCEPTED, Duration.ofSeconds(2))).isEqualTo(ACCEPTED);
                assertThat(holding.awaitReceivedAsMuchAs(ACCEPTED, Duration.ofSeconds(2))).isEqualTo(ACCEPTED);
            }
        }
        assertThat(reports).containsExactly("dropped connections_per_address: it came when all 2 connections from its address, "
                + "the most allowed, were being answered");
    }

    @Test
    void makesRoomWithinTheBoundOfAllConnectionsToo() throws Exception {
        open(limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 2, 2));

        try (RawConnection first = RawConnection.to(server.port()); RawConnection second = RawConnection.to(server.port());
                RawConnection third = RawConnection.to(server.port())) {
            assertThat(first.awaitClosed(Duration.ofSeconds(2))).isEmpty();
            assertThat(second.closedByServer() || third.closedByServer()).isFalse();
        }
    }

    @Test
    void goesOnServingWhenAClientLeavesBeforeItsAnswer() throws Exception {
        open(limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 8, 8));
        gate = new CountDownLatch(1);
        handling = new CountDownLatch(1);

        try (Socket leaving = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            leaving.getOutputStream().write(post("/a", "1").getBytes(StandardCharsets.ISO_8859_1));
            await().atMost(Duration.ofSeconds(5)).until(() -> handling.getCount() == 0);
            leaving.setSoLinger(true, 0); // closes with a reset: writing the answer fails
        }
        gate.countDown();

        try (RawConnection next = RawConnection.to(server.port())) {
            next.send(post("/b", "2"));
            assertThat(next.awaitReceivedAsMuchAs(ACCEPTED, Duration.ofSeconds(2))).isEqualTo(ACCEPTED);
        }
        assertThat(reports).isEmpty();
    }

    @Test
    void answers500WhenTheHandlerFails() throws Exception {
        open(limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 8, 8));

        try (RawConnection client = RawConnection.to(server.port())) {
            client.send(post("/failing", "1"));

            assertThat(client.awaitClosed(Duration.ofSeconds(2))).startsWith("HTTP/1.1 500 Internal Server Error\r\n")
                    .endsWith("handling the request failed: java.lang.IllegalStateException: the handler is broken\n");
        }
    }

    @Test
    void freesThePortWhenClosed() throws Exception {
        open(limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 8, 8));
        int port = server.port();
        try (RawConnection client = RawConnection.to(port)) {
            client.send(post("/a", "1"));
            client.awaitReceivedAsMuchAs(ACCEPTED, Duration.ofSeconds(2));

            server.close();

            assertThat(client.awaitClosed(Duration.ofSeconds(2))).isEqualTo(ACCEPTED);
            try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
        }
    }

    private void open(BoundedHttpServer.Limits limits) throws IOException {
        server = BoundedHttpServer.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), limits, handler, "test-server");
    }

    private static BoundedHttpServer.Limits limits(Duration requestDeadline, Duration idleTimeout, int perAddress, int connections) {
        return new BoundedHttpServer.Limits(requestDeadline, idleTimeout, perAddress, connections, 1024, 1024, 8);
    }

    private static String post(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }
}
