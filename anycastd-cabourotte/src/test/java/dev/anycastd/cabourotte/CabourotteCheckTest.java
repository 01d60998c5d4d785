package dev.anycastd.cabourotte;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.cabourotte.FakeCabourotte;
import dev.anycastd.testkit.cabourotte.SelfSignedCertificate;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link CabourotteCheck} against the testkit's fake Cabourotte, one outcome per test. */
class CabourotteCheckTest {

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    private final FakeCabourotte cabourotte = FakeCabourotte.start();
    private final CabourotteCheckProvider provider = new CabourotteCheckProvider();

    @AfterEach
    void stop() {
        cabourotte.close();
    }

    @Test
    void isHealthyWhileCabourotteReportsSuccess() throws Exception {
        cabourotte.healthy("dns");

        assertThat(check("dns").check()).isEqualTo(Health.healthy());
        assertThat(cabourotte.requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.rawPath()).isEqualTo("/result/dns");
            assertThat(request.header("Authorization")).isEmpty();
        });
    }

    @Test
    void isUnhealthyWithCabourottesMessageWhenTheCheckFails() throws Exception {
        cabourotte.failing("dns", "The command failed with code=1, stderr=: exit status 1");

        assertThat(check("dns").check()).isEqualTo(Health.unhealthy("The command failed with code=1, stderr=: exit status 1"));
    }

    @Test
    void keepsAFailureMessageOnOneLine() throws Exception {
        cabourotte.failing("dns", "first line\nsecond line");

        assertThat(check("dns").check()).isEqualTo(Health.unhealthy("first line second line"));
    }

    @Test
    void isUnhealthyWhenCabourotteDoesNotHaveTheCheck() throws Exception {
        assertThat(check("nope").check())
                .isEqualTo(Health.unhealthy("check \"nope\" does not exist in Cabourotte at " + cabourotte.url()));
    }

    @Test
    void isUnknownWhenNothingListensAtTheUrl() throws Exception {
        FakeCabourotte gone = FakeCabourotte.start();
        gone.close();

        Health health = check(Map.of("name", "dns", "url", gone.url().toString())).check();

        assertThat(health).isEqualTo(Health.unknown("cannot connect to Cabourotte at " + gone.url() + ": connection refused"));
    }

    @Test
    void isUnknownWhenCabourotteAnswersWithAServerError() throws Exception {
        cabourotte.healthy("dns").answerServerError();

        assertThat(check("dns").check()).isEqualTo(Health.unknown("Cabourotte answered GET " + cabourotte.url()
                + "/result/dns with HTTP 500: {\"messages\":[\"Internal Server Error\"]}"));
    }

    @Test
    void isUnknownWhenTheBodyIsNotJson() throws Exception {
        cabourotte.answerWith(200, "<html>\n<body>proxy error</body>");

        assertThat(check("dns").check()).isInstanceOf(Health.Unknown.class).extracting(Health::describe).asString()
                .startsWith("unknown: Cabourotte answered GET " + cabourotte.url() + "/result/dns with a body that is not a check result: not JSON: ")
                .endsWith(": <html> <body>proxy error</body>");
    }

    @Test
    void isUnknownWhenTheAnswerIsTheResultOfAnotherCheck() throws Exception {
        cabourotte.answerWith(200, cabourotte.healthy("ntp").resultBody("ntp").orElseThrow());

        assertThat(check("dns").check()).isEqualTo(Health.unknown("Cabourotte answered GET " + cabourotte.url()
                + "/result/dns with the result of check \"ntp\""));
    }

    @Test
    void isUnknownWhenTheBodyIsLargerThan64KiB() throws Exception {
        String tooLarge = resultWithSummaryOfLength(64 * 1024 + 1);
        String justFits = resultWithSummaryOfLength(64 * 1024);
        HealthCheck check = check("dns");

        cabourotte.answerWith(200, justFits);
        Health fits = check.check();
        cabourotte.answerWith(200, tooLarge);
        Health refused = check.check();

        assertThat(justFits).hasSize(64 * 1024);
        assertThat(fits).isEqualTo(Health.healthy());
        assertThat(refused).isEqualTo(Health.unknown("Cabourotte answered GET " + cabourotte.url()
                + "/result/dns with a body larger than 65536 bytes"));
    }

    @Test
    void isUnknownAtItsTimeoutWhenCabourotteHangs() throws Exception {
        cabourotte.healthy("dns").delayAnswers(Duration.ofSeconds(30));
        HealthCheck check = check(Map.of("name", "dns", "url", cabourotte.url().toString(), "interval", 1, "timeout", "300ms"));

        long start = System.nanoTime();
        Health health = check.check();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(health).isEqualTo(Health.unknown("Cabourotte did not answer GET " + cabourotte.url() + "/result/dns within 300 ms"));
        // Bounded by the timeout, not by the 30 s the server would take; generous for a busy machine.
        assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofSeconds(3));
        assertThat(check.timeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void asksForANameWithSpacesAndSlashesAsOnePathSegment() throws Exception {
        cabourotte.healthy("my check/v4");

        assertThat(check("my check/v4").check()).isEqualTo(Health.healthy());
        assertThat(cabourotte.requests()).extracting(FakeCabourotte.Request::rawPath).containsExactly("/result/my%20check%2Fv4");
        assertThat(cabourotte.requestCount("my check/v4")).isEqualTo(1);
    }

    @Test
    void sendsBasicAuthAndNeverLogsTheCredentials(@TempDir Path directory) throws Exception {
        cabourotte.healthy("dns").requireBasicAuth("anycastd", "s3cr3t-pw");
        Path passwordFile = java.nio.file.Files.writeString(directory.resolve("password"), "s3cr3t-pw\n");
        HealthCheck good = check(Map.of("name", "dns", "url", cabourotte.url().toString(),
                "username", "anycastd", "password-file", passwordFile.toString()));
        HealthCheck wrong = check(Map.of("name", "dns", "url", cabourotte.url().toString(),
                "username", "anycastd", "password", "wr0ng-pw"));

        Health accepted = good.check();
        Health refused = wrong.check();

        assertThat(accepted).isEqualTo(Health.healthy());
        assertThat(cabourotte.requests().get(0).header("Authorization"))
                .hasValue("Basic " + Base64.getEncoder().encodeToString("anycastd:s3cr3t-pw".getBytes(StandardCharsets.UTF_8)));
        assertThat(refused.describe()).isEqualTo("unknown: Cabourotte answered GET " + cabourotte.url()
                + "/result/dns with HTTP 401: {\"message\":\"Unauthorized\"}; check username and password");
        assertThat(logs.lines()).isNotEmpty().allSatisfy(line -> assertThat(line)
                .doesNotContain("s3cr3t-pw", "wr0ng-pw", "YW55Y2FzdGQ6czNjcjN0LXB3", "YW55Y2FzdGQ6d3IwbmctcHc"));
        assertThat(List.of(good.toString(), wrong.toString(), ((CabourotteCheck) good).client().toString()))
                .allSatisfy(text -> assertThat(text).doesNotContain("s3cr3t-pw", "wr0ng-pw"));
    }

    @Test
    void readsOverHttpsTrustingOnlyTheCaFile(@TempDir Path directory) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(directory);
        try (FakeCabourotte secure = FakeCabourotte.startHttps(certificate.serverContext())) {
            secure.healthy("dns");

            Health trusted = check(Map.of("name", "dns", "url", secure.url().toString(),
                    "ca-file", certificate.pemFile().toString())).check();
            Health untrusted = check(Map.of("name", "dns", "url", secure.url().toString())).check();

            assertThat(secure.url().getScheme()).isEqualTo("https");
            assertThat(trusted).isEqualTo(Health.healthy());
            assertThat(untrusted).isInstanceOf(Health.Unknown.class).extracting(Health::describe).asString()
                    .startsWith("unknown: TLS with Cabourotte at " + secure.url() + " failed: ")
                    .endsWith("; check url and ca-file");
            assertThat(secure.requestCount("dns")).isEqualTo(1);
        }
    }

    @Test
    void isUnknownWhenTheResultIsOlderThanMaxAge() throws Exception {
        cabourotte.healthy("dns");
        HealthCheck check = check(Map.of("name", "dns", "url", cabourotte.url().toString(), "max-age", "10s"));
        Health fresh = check.check();
        Instant lastRun = Instant.now().minusSeconds(60);
        cabourotte.lastRunAt("dns", lastRun);

        Health stale = check.check();

        assertThat(fresh).isEqualTo(Health.healthy());
        assertThat(stale).isInstanceOf(Health.Unknown.class).extracting(Health::describe).asString()
                .startsWith("unknown: the latest result of check \"dns\" in Cabourotte at " + cabourotte.url() + " is from "
                        + Instant.ofEpochSecond(lastRun.getEpochSecond()) + ", ")
                .endsWith(" s ago, older than max-age 10 s; is Cabourotte still running the check?");
    }

    @Test
    void acceptsAnOldResultWithoutMaxAge() throws Exception {
        cabourotte.healthy("dns").lastRunAt("dns", Instant.now().minus(Duration.ofDays(30)));

        assertThat(check("dns").check()).isEqualTo(Health.healthy());
    }

    @Test
    void isUnknownWithMaxAgeWhenTheResultHasNoTimestamp() throws Exception {
        cabourotte.answerWith(200, "{\"name\":\"dns\",\"success\":true}");

        Health health = check(Map.of("name", "dns", "url", cabourotte.url().toString(), "max-age", 10)).check();

        assertThat(health).isEqualTo(Health.unknown("Cabourotte answered GET " + cabourotte.url()
                + "/result/dns with a result without a numeric \"healthcheck-timestamp\", so max-age cannot be checked"));
    }

    @Test
    void logsEachOutcomeOnceWhenItStartsAndOnceWhenItEnds() throws Exception {
        HealthCheck check = check("dns");
        cabourotte.failing("dns", "exit status 1");
        check.check();
        check.check();
        check.check();
        cabourotte.healthy("dns");
        check.check();
        check.check();
        cabourotte.answerServerError();
        check.check();
        check.check();
        cabourotte.answerNormally().delete("dns");
        check.check();

        List<ILoggingEvent> events = logs.eventsOf(CabourotteCheck.class);
        assertThat(events).extracting(ILoggingEvent::getLevel, event -> LogCapture.value(event, "outcome"), ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Level.WARN, "failing",
                                "Cabourotte check \"dns\" is failing in Cabourotte: exit status 1"),
                        org.assertj.core.groups.Tuple.tuple(Level.INFO, "failing",
                                events.get(1).getFormattedMessage()),
                        org.assertj.core.groups.Tuple.tuple(Level.INFO, "passing",
                                "Cabourotte check \"dns\" at " + cabourotte.url() + " is passing."),
                        org.assertj.core.groups.Tuple.tuple(Level.WARN, "error_status",
                                "Cabourotte check \"dns\" is getting HTTP errors: Cabourotte answered GET "
                                        + cabourotte.url() + "/result/dns with HTTP 500: {\"messages\":[\"Internal Server Error\"]}"),
                        org.assertj.core.groups.Tuple.tuple(Level.INFO, "error_status", events.get(4).getFormattedMessage()),
                        org.assertj.core.groups.Tuple.tuple(Level.WARN, "missing",
                                "Cabourotte check \"dns\" is missing from Cabourotte: check \"dns\" does not exist in Cabourotte at "
                                        + cabourotte.url()));
        assertThat(events.get(1).getFormattedMessage()).startsWith("Cabourotte check \"dns\" is no longer failing in Cabourotte, after 3 reads over ");
        assertThat(LogCapture.value(events.get(1), "reads")).isEqualTo(3L);
        assertThat(events.get(4).getFormattedMessage()).startsWith("Cabourotte check \"dns\" is no longer getting HTTP errors, after 2 reads over ");
        assertThat(events).allSatisfy(event -> {
            assertThat(LogCapture.value(event, "check")).isEqualTo("dns");
            assertThat(LogCapture.value(event, "url")).isEqualTo(cabourotte.url().toString());
        });
    }

    @Test
    void sharesOneHttpClientAmongChecksOfTheSameCabourotte() throws Exception {
        CabourotteCheck dns = (CabourotteCheck) check("dns");
        CabourotteCheck ntp = (CabourotteCheck) check("ntp");
        CabourotteCheck elsewhere = (CabourotteCheck) check(Map.of("name", "dns", "url", "http://127.0.0.1:1"));
        CabourotteCheck otherUser = (CabourotteCheck) check(Map.of("name", "dns", "url", cabourotte.url().toString(),
                "username", "a", "password", "b"));

        assertThat(dns.client()).isSameAs(ntp.client());
        assertThat(elsewhere.client()).isNotSameAs(dns.client());
        assertThat(otherUser.client()).isNotSameAs(dns.client());
        assertThat(provider.clientCount()).isEqualTo(3);
    }

    @Test
    void checksWithReadAllShareOneReadOfEveryResult() throws Exception {
        List<HealthCheck> checks = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            cabourotte.healthy("check-" + i);
            checks.add(check(Map.of("name", "check-" + i, "url", cabourotte.url().toString(), "read-all", true)));
        }
        cabourotte.failing("check-7", "exit status 1");

        List<Health> results = new java.util.ArrayList<>();
        for (HealthCheck check : checks) {
            results.add(check.check());
        }

        assertThat(results).filteredOn(Health::isHealthy).hasSize(19);
        assertThat(results.get(7)).isEqualTo(Health.unhealthy("exit status 1"));
        assertThat(cabourotte.requests()).extracting(FakeCabourotte.Request::rawPath).containsExactly("/result");
    }

    @Test
    void checksLeavingReadAllUnsetShareOneReadOfEveryResultWhenTheyReadTogether() throws Exception {
        List<HealthCheck> checks = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            cabourotte.healthy("check-" + i);
            checks.add(check("check-" + i));
        }
        cabourotte.failing("check-3", "exit status 1");

        List<Health> results = new java.util.ArrayList<>();
        for (HealthCheck check : checks) {
            results.add(check.check());
        }

        assertThat(results).filteredOn(Health::isHealthy).hasSize(9);
        assertThat(results.get(3)).isEqualTo(Health.unhealthy("exit status 1"));
        assertThat(cabourotte.requests()).extracting(FakeCabourotte.Request::rawPath).containsExactly("/result");
    }

    @Test
    void aCheckAloneOnItsCabourotteReadsItsOwnResult() throws Exception {
        cabourotte.healthy("dns").healthy("ntp");
        HealthCheck dns = check("dns");
        check(Map.of("name", "ntp", "url", "http://127.0.0.1:1"));

        dns.check();
        dns.check();

        assertThat(cabourotte.requests()).extracting(FakeCabourotte.Request::rawPath).containsExactly("/result/dns", "/result/dns");
    }

    @Test
    void checksWithReadAllFalseReadTheirOwnResults() throws Exception {
        cabourotte.healthy("dns").healthy("ntp");
        HealthCheck dns = check(Map.of("name", "dns", "url", cabourotte.url().toString(), "read-all", false));
        HealthCheck ntp = check(Map.of("name", "ntp", "url", cabourotte.url().toString(), "read-all", false));

        dns.check();
        ntp.check();

        assertThat(cabourotte.requests()).extracting(FakeCabourotte.Request::rawPath).containsExactly("/result/dns", "/result/ntp");
    }

    @Test
    void aClosedCheckNoLongerCountsTowardsReadingEveryResult() throws Exception {
        cabourotte.healthy("dns").healthy("ntp");
        HealthCheck dns = check("dns");
        check("ntp").close();

        dns.check();

        assertThat(cabourotte.requests()).extracting(FakeCabourotte.Request::rawPath).containsExactly("/result/dns");
    }

    @Test
    void checksLeavingReadAllUnsetFailClosedAsTheirOwnReadsWould() throws Exception {
        cabourotte.healthy("dns");
        HealthCheck dns = check("dns");
        HealthCheck web = check("web");
        HealthCheck gone = check(Map.of("name", "dns", "url", "http://127.0.0.1:1"));
        HealthCheck goneToo = check(Map.of("name", "web", "url", "http://127.0.0.1:1"));

        assertThat(dns.check()).isEqualTo(Health.healthy());
        assertThat(web.check()).isEqualTo(Health.unhealthy("check \"web\" does not exist in Cabourotte at " + cabourotte.url()));
        assertThat(gone.check()).isInstanceOf(Health.Unknown.class);
        assertThat(goneToo.check()).isInstanceOf(Health.Unknown.class);
        assertThat(cabourotte.requests()).extracting(FakeCabourotte.Request::rawPath).containsExactly("/result");
    }

    @Test
    void checksWithReadAllAskingAtOnceWaitForTheSameRead() throws Exception {
        cabourotte.healthy("dns").delayAnswers(Duration.ofMillis(200));
        List<HealthCheck> checks = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            checks.add(check(Map.of("name", "dns", "url", cabourotte.url().toString(), "read-all", true)));
        }

        List<java.util.concurrent.Future<Health>> running = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            for (HealthCheck check : checks) {
                running.add(threads.submit(check::check));
            }
            for (java.util.concurrent.Future<Health> result : running) {
                assertThat(result.get()).isEqualTo(Health.healthy());
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(cabourotte.requests()).hasSize(1);
    }

    @Test
    void aCheckWithReadAllIsMissingWhenTheListLacksItAndUnknownWhenItsItemIsInvalid() throws Exception {
        cabourotte.answerWith(200, "[{\"name\":\"dns\",\"success\":\"yes\"},{\"name\":\"ntp\",\"success\":true}]");

        Health dns = check(Map.of("name", "dns", "url", cabourotte.url().toString(), "read-all", true)).check();
        Health web = check(Map.of("name", "web", "url", cabourotte.url().toString(), "read-all", true)).check();

        assertThat(dns).isEqualTo(Health.unknown("Cabourotte answered GET " + cabourotte.url() + "/result with a result of check "
                + "\"dns\" that is not valid: \"success\" must be true or false, got text"));
        assertThat(web).isEqualTo(Health.unhealthy("check \"web\" does not exist in Cabourotte at " + cabourotte.url()));
    }

    @Test
    void handsPushedResultsToTheSinkJudgedAsReadOnesAre() throws Exception {
        int port = Ports.free();
        HealthCheck check = check(Map.of("name", "dns", "url", cabourotte.url().toString(), "push-listen", "127.0.0.1:" + port));
        List<Health> pushed = new CopyOnWriteArrayList<>();
        check.pushResultsTo(pushed::add);

        try (check) {
            assertThat(push(port, FakeCabourotte.exporterPushBody("dns", false, "resolver\ndown", Instant.now())).statusCode())
                    .isEqualTo(204);
            assertThat(push(port, FakeCabourotte.exporterPushBody("dns", true, "success", Instant.now())).statusCode())
                    .isEqualTo(204);
        }

        assertThat(pushed).containsExactly(Health.unhealthy("resolver down"), Health.healthy());
        assertThat(cabourotte.requestCount("dns")).as("pushes need no read").isZero();
    }

    @Test
    void appliesMaxAgeToPushedResults() throws Exception {
        int port = Ports.free();
        HealthCheck check = check(Map.of("name", "dns", "url", cabourotte.url().toString(), "max-age", "10s",
                "push-listen", "127.0.0.1:" + port));
        List<Health> pushed = new CopyOnWriteArrayList<>();
        check.pushResultsTo(pushed::add);

        try (check) {
            push(port, FakeCabourotte.exporterPushBody("dns", true, "success", Instant.now().minusSeconds(60)));
        }

        assertThat(pushed).singleElement().isInstanceOf(Health.Unknown.class).extracting(Health::describe).asString()
                .endsWith(" s ago, older than max-age 10 s; is Cabourotte still running the check?");
    }

    @Test
    void aReadThatCrossesANewerPushGivesThePushedResult() throws Exception {
        int port = Ports.free();
        Instant now = Instant.now();
        cabourotte.healthy("dns").lastRunAt("dns", now.minusSeconds(60));
        HealthCheck check = check(Map.of("name", "dns", "url", cabourotte.url().toString(), "push-listen", "127.0.0.1:" + port));
        check.pushResultsTo(health -> { });

        try (check) {
            push(port, FakeCabourotte.exporterPushBody("dns", false, "resolver down", now.minusSeconds(30)));
            Health crossed = check.check();
            cabourotte.healthy("dns");
            Health newer = check.check();

            assertThat(crossed).as("an older read does not undo a newer push").isEqualTo(Health.unhealthy("resolver down"));
            assertThat(newer).as("a newer read wins").isEqualTo(Health.healthy());
        }
    }

    @Test
    void ignoresAPushOlderThanTheNewestResultSeen() throws Exception {
        int port = Ports.free();
        cabourotte.healthy("dns");
        HealthCheck check = check(Map.of("name", "dns", "url", cabourotte.url().toString(), "push-listen", "127.0.0.1:" + port));
        List<Health> pushed = new CopyOnWriteArrayList<>();
        check.pushResultsTo(pushed::add);

        try (check) {
            assertThat(check.check()).isEqualTo(Health.healthy());
            assertThat(push(port, FakeCabourotte.exporterPushBody("dns", false, "late", Instant.now().minusSeconds(60)))
                    .statusCode()).isEqualTo(204);
        }

        assertThat(pushed).isEmpty();
    }

    @Test
    void aResultDatedInTheFutureCannotHideTheFailuresThatFollowIt() throws Exception {
        int port = Ports.free();
        cabourotte.failing("dns", "resolver down");
        HealthCheck check = check(Map.of("name", "dns", "url", cabourotte.url().toString(), "push-listen", "127.0.0.1:" + port));
        List<Health> pushed = new CopyOnWriteArrayList<>();
        check.pushResultsTo(pushed::add);

        try (check) {
            Instant now = Instant.now();
            assertThat(push(port, FakeCabourotte.exporterPushBody("dns", true, "success", now.plusSeconds(3600))).statusCode())
                    .isEqualTo(204);
            assertThat(push(port, FakeCabourotte.exporterPushBody("dns", false, "resolver down", now)).statusCode())
                    .isEqualTo(204);
            Health read = check.check();

            assertThat(pushed).as("the pushed failure is not dropped as older")
                    .containsExactly(Health.healthy(), Health.unhealthy("resolver down"));
            assertThat(read).as("nor is the failure read afterwards").isEqualTo(Health.unhealthy("resolver down"));
        }
        assertThat(logs.eventsOf(CabourotteCheck.class)).extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(message -> message.contains("ahead of this host's clock")).singleElement().asString()
                .startsWith("Cabourotte check \"dns\" has a result dated ");
    }

    @Test
    void checksOfOneListenAddressShareOneSocketReleasedWithTheLastOfThem() throws Exception {
        int port = Ports.free();
        CabourotteCheck dns = (CabourotteCheck) check(Map.of("name", "dns", "push-listen", "127.0.0.1:" + port));
        CabourotteCheck ntp = (CabourotteCheck) check(Map.of("name", "ntp", "push-listen", "127.0.0.1:" + port));
        CabourotteCheck pollOnly = (CabourotteCheck) check("dns");
        dns.pushResultsTo(health -> { });
        ntp.pushResultsTo(health -> { });
        pollOnly.pushResultsTo(health -> { });

        assertThat(dns.push().receiver()).isSameAs(ntp.push().receiver());
        assertThat(pollOnly.push()).isNull();
        assertThat(provider.receiverCount()).isEqualTo(1);
        assertThat(dns.push().receiver().port()).isEqualTo(port);

        dns.close();
        assertThat(ntp.push().receiver().listening()).isTrue();
        ntp.close();
        ntp.close();

        assertThat(ntp.push().receiver().listening()).isFalse();
        try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("the port is released").isEqualTo(port);
        }
    }

    private static HttpResponse<String> push(int port, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + CabourotteCheckProvider.DEFAULT_PUSH_PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HealthCheck check(String name) throws ConfigurationException {
        return check(Map.of("name", name, "url", cabourotte.url().toString()));
    }

    private HealthCheck check(Map<String, ?> options) throws ConfigurationException {
        return provider.create(Options.of("services.test.checks.cabourotte[0]", new HashMap<>(options)));
    }

    private static String resultWithSummaryOfLength(int totalLength) {
        String head = "{\"name\":\"dns\",\"summary\":\"";
        String tail = "\",\"success\":true,\"healthcheck-timestamp\":1795477260,\"message\":\"success\",\"duration\":0.002029504}";
        return head + "x".repeat(totalLength - head.length() - tail.length()) + tail;
    }
}
