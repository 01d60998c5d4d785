package dev.anycastd.cabourotte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.anycastd.core.spi.PushOutcome;
import dev.anycastd.testkit.ManualScheduler;
import dev.anycastd.testkit.cabourotte.CabourotteFixtures;
import dev.anycastd.testkit.cabourotte.FakeCabourotte;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link PushReceiver} over real HTTP on loopback, as Cabourotte's exporter talks to it. */
class PushReceiverTest {

    private static final String PATH = "/anycastd/cabourotte";
    private static final String SECRET = "s3cr3t-push";
    private static final Instant RAN_AT = Instant.ofEpochSecond(1_795_477_277);

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ManualScheduler time = new ManualScheduler();
    private final PushReceiver receiver = new PushReceiver(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            PushReceiver.REOPEN_INTERVAL, PushReceiver.LIMITS, time.clock());
    private final List<PushReceiver.Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<CabourotteResult> dns = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeSubscriptions() {
        subscriptions.forEach(PushReceiver.Subscription::close);
    }

    @Test
    void deliversEachPushedResultToEveryCheckSubscribedToItsName() throws Exception {
        List<CabourotteResult> dnsAgain = new CopyOnWriteArrayList<>();
        List<CabourotteResult> ntp = new CopyOnWriteArrayList<>();
        open(null);
        subscribe("dns", dnsAgain::add);
        subscribe("ntp", ntp::add);

        HttpResponse<String> response = post(PATH, CabourotteFixtures.read(CabourotteFixtures.EXPORTER_PUSH_FAILURE), null);

        assertThat(response.statusCode()).isEqualTo(204);
        CabourotteResult expected = new CabourotteResult("dns", false,
                "The command failed with code=1, stderr=: exit status 1", java.util.Optional.of(RAN_AT));
        assertThat(dns).containsExactly(expected);
        assertThat(dnsAgain).containsExactly(expected);
        assertThat(ntp).isEmpty();
    }

    @Test
    void acceptsTheBodiesOfARealExporterAndOfTheFake() throws Exception {
        open(null);

        assertThat(post(PATH, CabourotteFixtures.read(CabourotteFixtures.EXPORTER_PUSH_SUCCESS), null).statusCode()).isEqualTo(204);
        assertThat(post(PATH, FakeCabourotte.exporterPushBody("dns", false, "down", RAN_AT), null).statusCode()).isEqualTo(204);

        assertThat(dns).extracting(CabourotteResult::success).containsExactly(true, false);
    }

    @Test
    void deliversEveryResultOfABatchInOrder() throws Exception {
        open(null);
        String batch = "[" + result("dns", true) + "," + result("dns", false) + "]";

        assertThat(post(PATH, batch, null).statusCode()).isEqualTo(204);

        assertThat(dns).extracting(CabourotteResult::success).containsExactly(true, false);
    }

    @Test
    void rejectsAnotherPathWith404() throws Exception {
        open(null);

        HttpResponse<String> response = post("/elsewhere", body("dns", false), null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("nothing is received at /elsewhere; set the exporter's path to the push-path of "
                + "anycastd's checks\n");
        assertThat(dns).isEmpty();
    }

    @Test
    void rejectsAnotherMethodWith405() throws Exception {
        open(null);

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(PATH)).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(response.body()).isEqualTo("method GET is not allowed; Cabourotte's exporter POSTs results\n");
    }

    @Test
    void rejectsAPushWithoutTheSecretWith401() throws Exception {
        open(SECRET);

        HttpResponse<String> response = post(PATH, body("dns", false), null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(response.body()).isEqualTo("the secret is missing; send it as the header \"Authorization: Bearer SECRET\"\n");
        assertThat(dns).isEmpty();
    }

    @Test
    void rejectsAPushWithAWrongSecretWith401() throws Exception {
        open(SECRET);

        HttpResponse<String> wrong = post(PATH, body("dns", false), "Bearer " + SECRET + "x");
        HttpResponse<String> basic = post(PATH, body("dns", false), "Basic " + SECRET);

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo("the secret is wrong; send push-secret as \"Authorization: Bearer SECRET\"\n");
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(dns).isEmpty();
    }

    @Test
    void acceptsAPushWithTheSecret() throws Exception {
        open(SECRET);

        assertThat(post(PATH, body("dns", false), "Bearer " + SECRET).statusCode()).isEqualTo(204);

        assertThat(dns).hasSize(1);
    }

    @Test
    void rejectsABodyThatIsNotJsonByItsContentTypeWith415() throws Exception {
        open(null);

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(PATH))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body("dns", false))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).isEqualTo("the body must be application/json, got text/plain\n");
        assertThat(dns).isEmpty();
    }

    @Test
    void acceptsAJsonContentTypeWithACharset() throws Exception {
        open(null);

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(PATH))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body("dns", true))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(dns).hasSize(1);
    }

    @Test
    void rejectsABodyLargerThanTheBoundWith413() throws Exception {
        open(null);
        String large = "[" + result("dns", true).replace("\"success\"", "\"padding\":\"" + "x".repeat(PushReceiver.MAX_BODY_BYTES)
                + "\",\"success\"") + "]";

        HttpResponse<String> response = post(PATH, large, null);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEqualTo("the body is larger than 65536 bytes\n");
        assertThat(dns).isEmpty();
    }

    @Test
    void rejectsAChunkedBodyLargerThanTheBoundWith413() throws Exception {
        open(null);
        byte[] large = ("[" + result("dns", true).replace("\"success\"", "\"padding\":\""
                + "x".repeat(PushReceiver.MAX_BODY_BYTES) + "\",\"success\"") + "]").getBytes(StandardCharsets.UTF_8);

        // A body of unknown length is sent chunked, without Content-Length: the bound is applied while reading.
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(PATH)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(dns).isEmpty();
    }

    @Test
    void rejectsABodyThatIsNotAnArrayOfResultsWith400AndDeliversNoneOfIt() throws Exception {
        open(null);

        assertThat(post(PATH, "not json", null)).satisfies(response -> {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).startsWith("the body is not an array of Cabourotte results: not JSON: ");
        });
        assertThat(post(PATH, result("dns", true), null).body())
                .isEqualTo("the body is not an array of Cabourotte results: expected a JSON array of results, got an object\n");
        assertThat(post(PATH, "[]", null).body())
                .isEqualTo("the body is not an array of Cabourotte results: the array holds no result\n");
        assertThat(post(PATH, "[" + result("dns", true) + ",{\"name\":\"dns\",\"success\":\"yes\"}]", null).body())
                .isEqualTo("the body is not an array of Cabourotte results: result [1]: \"success\" must be true or false, got text\n");
        assertThat(post(PATH, "[{\"name\":\"dns\",\"success\":true,\"success\":false}]", null).statusCode()).isEqualTo(400);
        assertThat(post(PATH, "[" + result("dns", true) + "] []", null).statusCode()).isEqualTo(400);
        assertThat(dns).as("nothing of a rejected body is delivered").isEmpty();
    }

    @Test
    void ignoresNamesNoCheckSubscribedToLoggingEachNameOnce() throws Exception {
        open(null);

        for (int i = 0; i < 3; i++) {
            assertThat(post(PATH, body("http", true), null).statusCode()).isEqualTo(204);
        }
        assertThat(post(PATH, body("tcp", false), null).statusCode()).isEqualTo(204);
        assertThat(post(PATH, body("dns", true), null).statusCode()).isEqualTo(204);

        assertThat(logs.eventsOf(PushReceiver.class)).filteredOn(event -> event.getFormattedMessage().startsWith("Ignoring"))
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("Ignoring pushed results of Cabourotte check \"http\": no service uses it.",
                        "Ignoring pushed results of Cabourotte check \"tcp\": no service uses it.");
        assertThat(dns).hasSize(1);
    }

    @Test
    void logsAStreakOfRejectionsWhenItStartsAndWhenItEnds() throws Exception {
        open(SECRET);

        for (int i = 0; i < 3; i++) {
            assertThat(post(PATH, body("dns", true), "Bearer wrong").statusCode()).isEqualTo(401);
        }
        time.advance(PushReceiver.LOG_WINDOW);
        assertThat(post(PATH, body("dns", true), "Bearer " + SECRET).statusCode()).isEqualTo(204);

        List<ILoggingEvent> events = rejectionEvents();
        assertThat(events).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        assertThat(events.get(0).getFormattedMessage()).isEqualTo("Rejecting pushes to " + receiver.urlOf("")
                + " with HTTP 401: the secret is wrong; send push-secret as \"Authorization: Bearer SECRET\"");
        assertThat(events.get(1).getFormattedMessage()).isEqualTo("Pushes to " + receiver.urlOf("")
                + " are no longer rejected with 401 secret, after 3 requests.");
    }

    @Test
    void logsAlternatingRejectionsWhenEachStartsThenAtMostOncePerWindowWithACount() throws Exception {
        open(SECRET);

        for (int i = 0; i < 100; i++) {
            assertThat(post("/elsewhere", body("dns", true), null).statusCode()).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(uri(PATH)).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(405);
        }
        assertThat(rejectionEvents()).as("one line as each starts, none while each repeats within the window")
                .extracting(event -> LogCapture.value(event, "rejection")).containsExactly("404 path", "405 method");

        time.advance(PushReceiver.LOG_WINDOW.minusSeconds(10));
        assertThat(post("/elsewhere", body("dns", true), null).statusCode()).isEqualTo(404);
        time.advance(Duration.ofSeconds(10));
        assertThat(post("/elsewhere", body("dns", true), null).statusCode()).isEqualTo(404);

        assertThat(rejectionEvents()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Rejecting pushes to " + receiver.urlOf("") + " with HTTP 404: nothing is received at /elsewhere; set the exporter's "
                        + "path to the push-path of anycastd's checks",
                "Rejecting pushes to " + receiver.urlOf("") + " with HTTP 405: method GET is not allowed; Cabourotte's exporter POSTs "
                        + "results",
                "Pushes to " + receiver.urlOf("") + " are no longer rejected with 405 method, after 100 requests.",
                "Rejecting pushes to " + receiver.urlOf("") + " with HTTP 404: nothing is received at /elsewhere; set the exporter's "
                        + "path to the push-path of anycastd's checks (101 times in the last 30 s; a repeating problem is logged at "
                        + "most every 30 s.)");
    }

    @Test
    void answersAFailedDeliveryWith500AndLogsItOnceWhileItRepeats() throws Exception {
        receiver.declare(PATH, null);
        subscriptions.add(receiver.subscribe(PATH, "dns", result -> {
            throw new IllegalStateException("the consumer is broken");
        }));

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = post(PATH, body("dns", true), null);
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).startsWith("delivering the results failed: java.lang.IllegalStateException: the consumer is broken");
        }

        assertThat(logs.eventsOf(PushReceiver.class)).filteredOn(event -> event.getLevel() == Level.ERROR).singleElement()
                .satisfies(event -> {
                    assertThat(event.getFormattedMessage()).isEqualTo("Delivering a push from Cabourotte to " + receiver.urlOf("")
                            + " failed: java.lang.IllegalStateException: the consumer is broken");
                    assertThat(event.getThrowableProxy()).isNotNull();
                });
    }

    @Test
    void neverLogsTheSecret() throws Exception {
        open(SECRET);

        post(PATH, body("dns", true), "Bearer " + SECRET + "-typo");
        post(PATH, body("dns", true), "Bearer " + SECRET);

        assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(SECRET));
        assertThat(PushReceiver.Secret.of(SECRET).toString()).doesNotContain(SECRET);
    }

    @Test
    void answersAPushWhileTwoClientsTrickleTheirRequests() throws Exception {
        PushReceiver patient = receiverWith(limits(Duration.ofSeconds(30), 8));
        open(patient, null);
        ScheduledExecutorService trickling = Executors.newSingleThreadScheduledExecutor();
        try (RawConnection first = RawConnection.to(patient.port()); RawConnection second = RawConnection.to(patient.port())) {
            for (RawConnection slow : List.of(first, second)) {
                slow.send("POST " + PATH + " HTTP/1.1\r\nX-Slow: ");
                trickling.scheduleAtFixedRate(() -> slow.trickle("x"), 100, 100, TimeUnit.MILLISECONDS);
            }

            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(patient, PATH)).timeout(Duration.ofSeconds(2))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body("dns", true))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(dns).hasSize(1);
            assertThat(first.closedByServer() || second.closedByServer()).as("both slow clients are still connected").isFalse();
        } finally {
            trickling.shutdownNow();
        }
    }

    @Test
    void cutsARequestTrickledAByteASecondAtTheRequestDeadline() throws Exception {
        open(null);
        ScheduledExecutorService trickling = Executors.newSingleThreadScheduledExecutor();
        try (RawConnection slow = RawConnection.to(receiver.port())) {
            slow.send("P");
            trickling.scheduleAtFixedRate(() -> slow.trickle("O"), 1, 1, TimeUnit.SECONDS);

            String answer = slow.awaitClosed(PushReceiver.REQUEST_DEADLINE.plusSeconds(4));

            assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n")
                    .endsWith("\r\n\r\nthe request did not arrive in full within 2000 ms\n");
        } finally {
            trickling.shutdownNow();
        }
        assertThat(logs.eventsOf(PushReceiver.class)).extracting(event -> LogCapture.value(event, "rejection")).contains("408 deadline");
    }

    @Test
    void closesAConnectionThatSendsNoRequestWithinTheDeadline() throws Exception {
        PushReceiver hasty = receiverWith(limits(Duration.ofMillis(300), 8));
        open(hasty, null);

        try (RawConnection silent = RawConnection.to(hasty.port())) {
            assertThat(silent.awaitClosed(Duration.ofSeconds(5))).isEmpty();
        }

        assertThat(logs.eventsOf(PushReceiver.class)).filteredOn(event -> "no_request".equals(LogCapture.value(event, "dropped")))
                .singleElement().satisfies(event -> assertThat(event.getFormattedMessage()).isEqualTo("Closed a connection to "
                        + hasty.urlOf("") + " from 127.0.0.1 without an answer: it sent no request within 300 ms."));
    }

    @Test
    void keepsAtMostTheBoundOfConnectionsPerClientAddressClosingTheOldestFirst() throws Exception {
        PushReceiver bounded = receiverWith(limits(Duration.ofSeconds(30), 3));
        open(bounded, null);
        List<RawConnection> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                // Accepted in the order they connect: the listening socket's backlog is first in, first out.
                idle.add(RawConnection.to(bounded.port()));
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> idle.get(0).closedByServer() && idle.get(1).closedByServer());
            assertThat(idle.subList(2, 5)).noneMatch(RawConnection::closedByServer);

            assertThat(post(bounded, PATH, body("dns", true), null).statusCode()).as("a newcomer is let in").isEqualTo(204);
            assertThat(idle.get(2).closedByServer()).as("closed for the newcomer").isTrue();
        } finally {
            for (RawConnection connection : idle) {
                connection.close();
            }
        }
        assertThat(logs.eventsOf(PushReceiver.class)).filteredOn(event -> LogCapture.value(event, "dropped") != null)
                .singleElement().satisfies(event -> assertThat(event.getFormattedMessage()).isEqualTo("Closed a connection to "
                        + bounded.urlOf("") + " from 127.0.0.1 without an answer: it made room for a newer one, as 3 connections "
                        + "from its address is the most allowed."));
    }

    @Test
    void refusesAPushWithoutTheSecretFromItsHeadWithoutWaitingForItsBody() throws Exception {
        PushReceiver patient = receiverWith(limits(Duration.ofSeconds(30), 8));
        open(patient, SECRET);
        try (RawConnection first = RawConnection.to(patient.port()); RawConnection second = RawConnection.to(patient.port())) {
            for (RawConnection unauthenticated : List.of(first, second)) {
                unauthenticated.send("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n");
            }

            for (RawConnection unauthenticated : List.of(first, second)) {
                assertThat(unauthenticated.awaitClosed(Duration.ofSeconds(2))).as("answered and closed, though no byte of the body came")
                        .startsWith("HTTP/1.1 401 Unauthorized\r\n")
                        .endsWith("\r\n\r\nthe secret is missing; send it as the header \"Authorization: Bearer SECRET\"\n");
            }
            assertThat(post(patient, PATH, body("dns", true), "Bearer " + SECRET).statusCode()).isEqualTo(204);
        }
    }

    @Test
    void answersAnErrorWithItsLengthInOnePieceAndClosesTheConnection() throws Exception {
        open(null);

        try (RawConnection client = RawConnection.to(receiver.port())) {
            client.send("POST /elsewhere HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]");

            String reason = "nothing is received at /elsewhere; set the exporter's path to the push-path of anycastd's checks\n";
            assertThat(client.awaitClosed(Duration.ofSeconds(2))).isEqualTo("HTTP/1.1 404 Not Found\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + reason.length() + "\r\nConnection: close\r\n\r\n"
                    + reason);
        }
    }

    @Test
    void keepsTheConnectionOfAnAcceptedPushAlive() throws Exception {
        open(null);
        String push = body("dns", true);

        try (RawConnection client = RawConnection.to(receiver.port())) {
            for (int i = 1; i <= 2; i++) {
                client.send("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                        + push.length() + "\r\n\r\n" + push);
                String answers = "HTTP/1.1 204 No Content\r\n\r\n".repeat(i);
                assertThat(client.awaitReceivedAsMuchAs(answers, Duration.ofSeconds(2))).isEqualTo(answers);
            }
            assertThat(client.closedByServer()).isFalse();
        }
        assertThat(dns).hasSize(2);
    }

    @Test
    void opensTheSocketWithTheFirstSubscriptionAndClosesItWithTheLast() throws Exception {
        receiver.declare(PATH, null);
        assertThat(receiver.listening()).isFalse();

        PushReceiver.Subscription first = receiver.subscribe(PATH, "dns", dns::add);
        int port = receiver.port();
        PushReceiver.Subscription second = receiver.subscribe(PATH, "ntp", result -> { });
        first.close();
        first.close();
        assertThat(receiver.listening()).as("still listening for ntp").isTrue();
        assertThat(receiver.subscriptions()).isEqualTo(1);

        second.close();

        assertThat(receiver.listening()).isFalse();
        assertThat(receiver.subscriptions()).isZero();
        assertThat(canBind(port)).as("the port is released").isTrue();
    }

    @Test
    void refusesToDeclareAPathAgainWithAnotherSecret() throws Exception {
        receiver.declare(PATH, PushReceiver.Secret.of(SECRET));
        receiver.declare(PATH, PushReceiver.Secret.of(SECRET));

        assertThatThrownBy(() -> receiver.declare(PATH, PushReceiver.Secret.of("other")))
                .isInstanceOf(PushReceiver.ConflictException.class)
                .hasMessage("another check receives pushes at " + receiver.urlOf(PATH) + " with another secret");
        assertThatThrownBy(() -> receiver.declare(PATH, null))
                .hasMessage("another check receives pushes at " + receiver.urlOf(PATH) + " with a secret");
        assertThatThrownBy(() -> receiver.subscribe("/undeclared", "dns", dns::add)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void logsOnceWhenThePortIsBusyAndListensOnceItIsFree() throws Exception {
        ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = busy.getLocalPort();
        PushReceiver onBusyPort = new PushReceiver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                Duration.ofMillis(50), PushReceiver.LIMITS, time.clock());
        onBusyPort.declare(PATH, null);

        PushReceiver.Subscription subscription;
        try (busy) {
            subscription = onBusyPort.subscribe(PATH, "dns", dns::add);
            onBusyPort.ensureListening();
            assertThat(onBusyPort.listening()).isFalse();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            onBusyPort.ensureListening();
            return onBusyPort.listening();
        });
        subscription.close();

        assertThat(logs.eventsOf(PushReceiver.class)).filteredOn(event -> event.getLevel() == Level.ERROR).singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage()).startsWith("Cannot listen for Cabourotte's pushes on "
                        + "http://127.0.0.1:" + port + ": "));
    }

    @Test
    void countsEveryAnsweredRequestByItsOutcome() throws Exception {
        Map<PushOutcome, Integer> counts = new ConcurrentHashMap<>();
        PushReceiver counting = new PushReceiver(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                PushReceiver.REOPEN_INTERVAL, PushReceiver.LIMITS, time.clock(), outcome -> counts.merge(outcome, 1, Integer::sum));
        open(counting, SECRET);
        String large = "[" + result("dns", true).replace("\"success\"", "\"padding\":\"" + "x".repeat(PushReceiver.MAX_BODY_BYTES)
                + "\",\"success\"") + "]";

        assertThat(post(counting, PATH, body("dns", true), "Bearer " + SECRET).statusCode()).isEqualTo(204);
        assertThat(post(counting, PATH, body("unused", true), "Bearer " + SECRET).statusCode()).isEqualTo(204);
        assertThat(post(counting, PATH, body("dns", true), null).statusCode()).isEqualTo(401);
        assertThat(post(counting, PATH, body("dns", true), "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(post(counting, "/elsewhere", body("dns", true), "Bearer " + SECRET).statusCode()).isEqualTo(404);
        assertThat(post(counting, PATH, "not json", "Bearer " + SECRET).statusCode()).isEqualTo(400);
        assertThat(post(counting, PATH, large, "Bearer " + SECRET).statusCode()).isEqualTo(413);
        assertThat(http.send(HttpRequest.newBuilder(uri(counting, PATH)).header("Authorization", "Bearer " + SECRET)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body("dns", true))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(415);
        assertThat(http.send(HttpRequest.newBuilder(uri(counting, PATH)).GET().build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(405);

        // Each request is counted before its answer is sent.
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(PushOutcome.ACCEPTED, 2, PushOutcome.UNAUTHORIZED, 2,
                PushOutcome.UNKNOWN_PATH, 1, PushOutcome.BAD_BODY, 1, PushOutcome.TOO_LARGE, 1, PushOutcome.UNSUPPORTED_TYPE, 1,
                PushOutcome.METHOD_NOT_ALLOWED, 1));
    }

    @Test
    void mapsEveryKindOfAnswerOntoTheClosedSetOfOutcomes() {
        assertThat(PushReceiver.outcome(HttpAnswer.ACCEPTED)).isEqualTo(PushOutcome.ACCEPTED);
        Map<String, PushOutcome> byKind = Map.ofEntries(Map.entry("secret", PushOutcome.UNAUTHORIZED),
                Map.entry("path", PushOutcome.UNKNOWN_PATH), Map.entry("method", PushOutcome.METHOD_NOT_ALLOWED),
                Map.entry("content_type", PushOutcome.UNSUPPORTED_TYPE), Map.entry("body", PushOutcome.BAD_BODY),
                Map.entry("size", PushOutcome.TOO_LARGE), Map.entry("head_size", PushOutcome.TOO_LARGE),
                Map.entry("deadline", PushOutcome.TIMED_OUT), Map.entry("busy", PushOutcome.BUSY), Map.entry("failed", PushOutcome.FAILED),
                Map.entry("framing", PushOutcome.MALFORMED), Map.entry("length", PushOutcome.MALFORMED),
                Map.entry("transfer_encoding", PushOutcome.MALFORMED), Map.entry("version", PushOutcome.MALFORMED),
                Map.entry("request", PushOutcome.MALFORMED));
        byKind.forEach((kind, outcome) -> assertThat(PushReceiver.outcome(HttpAnswer.refusal(400, kind, "reason")))
                .as(kind).isEqualTo(outcome));
    }

    private List<ILoggingEvent> rejectionEvents() {
        return logs.eventsOf(PushReceiver.class).stream().filter(event -> LogCapture.value(event, "rejection") != null).toList();
    }

    private void open(String secret) throws PushReceiver.ConflictException {
        open(receiver, secret);
    }

    private void open(PushReceiver on, String secret) throws PushReceiver.ConflictException {
        on.declare(PATH, secret == null ? null : PushReceiver.Secret.of(secret));
        subscriptions.add(on.subscribe(PATH, "dns", dns::add));
    }

    private PushReceiver receiverWith(BoundedHttpServer.Limits limits) {
        return new PushReceiver(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), PushReceiver.REOPEN_INTERVAL, limits,
                time.clock());
    }

    private static BoundedHttpServer.Limits limits(Duration requestDeadline, int connectionsPerAddress) {
        BoundedHttpServer.Limits limits = PushReceiver.LIMITS;
        return new BoundedHttpServer.Limits(requestDeadline, limits.idleTimeout(), connectionsPerAddress, limits.connections(),
                limits.maxHeadBytes(), limits.maxBodyBytes(), limits.waitingRequests());
    }

    private void subscribe(String name, java.util.function.Consumer<CabourotteResult> consumer) {
        subscriptions.add(receiver.subscribe(PATH, name, consumer));
    }

    private HttpResponse<String> post(String path, String body, String authorization) throws Exception {
        return post(receiver, path, body, authorization);
    }

    private HttpResponse<String> post(PushReceiver to, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(to, path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return uri(receiver, path);
    }

    private static URI uri(PushReceiver to, String path) {
        return URI.create("http://127.0.0.1:" + to.port() + path);
    }

    private static String body(String name, boolean success) {
        return FakeCabourotte.exporterPushBody(name, success, success ? "success" : "failing", RAN_AT);
    }

    private static String result(String name, boolean success) {
        String body = body(name, success);
        return body.substring(1, body.length() - 1);
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort() == port;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
