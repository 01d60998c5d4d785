package dev.anycastd.testkit.cabourotte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeCabourotteTest {

    private static final Pattern KEY = Pattern.compile("\"([a-z-]+)\":");

    private final HttpClient client = HttpClient.newHttpClient();
    private final FakeCabourotte fake = FakeCabourotte.start();

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void servesAPassingResultWithTheFieldsOfTheRealOne() throws Exception {
        fake.healthy("dns");

        HttpResponse<String> response = get("/result/dns");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
        assertThat(keys(response.body())).isEqualTo(keys(CabourotteFixtures.read(CabourotteFixtures.RESULT_SUCCESS)));
        assertThat(response.body()).contains("\"name\":\"dns\"", "\"success\":true", "\"message\":\"success\"")
                .containsPattern("\"duration\":0\\.[0-9]+,");
    }

    @Test
    void servesAFailingResultWithItsMessage() throws Exception {
        fake.failing("dns", "The command failed with code=1, stderr=: exit status 1");

        HttpResponse<String> response = get("/result/dns");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(keys(response.body())).isEqualTo(keys(CabourotteFixtures.read(CabourotteFixtures.RESULT_FAILURE)));
        assertThat(response.body()).contains("\"success\":false",
                "\"message\":\"The command failed with code=1, stderr=: exit status 1\"");
    }

    @Test
    void answersAnUnknownCheckWithTheRealNotFoundBody() throws Exception {
        fake.healthy("dns").delete("dns");

        HttpResponse<String> response = get("/result/nope");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo(CabourotteFixtures.read(CabourotteFixtures.RESULT_NOT_FOUND));
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
        assertThat(get("/result/dns").statusCode()).isEqualTo(404);
    }

    @Test
    void listsEveryResultInOrder() throws Exception {
        fake.healthy("dns").failing("ntp", "down");

        String body = get("/result").body();

        assertThat(body).startsWith("[{\"name\":\"dns\"").contains("},{\"name\":\"ntp\"").endsWith("}]");
        assertThat(keys(body).subList(0, 7)).isEqualTo(keys(CabourotteFixtures.read(CabourotteFixtures.RESULT_LIST)));
    }

    @Test
    void timestampsFollowTheClockUntilPinned() throws Exception {
        fake.healthy("dns");
        long before = Instant.now().getEpochSecond();
        assertThat(timestamp(get("/result/dns").body())).isBetween(before, Instant.now().getEpochSecond());

        fake.lastRunAt("dns", Instant.ofEpochSecond(1_795_477_260L));

        assertThat(timestamp(get("/result/dns").body())).isEqualTo(1_795_477_260L);
        assertThatThrownBy(() -> fake.lastRunAt("nope", Instant.now())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsAReadOfEveryCheckInTheListAsWellAsItsOwnRequests() throws Exception {
        fake.healthy("dns").healthy("ntp");

        get("/result");
        get("/result/dns");

        assertThat(fake.readCount("dns")).isEqualTo(2);
        assertThat(fake.readCount("ntp")).isEqualTo(1);
        assertThat(fake.requestCount("dns")).as("requests for the check's own result only").isEqualTo(1);
        assertThat(fake.readCount("other")).isZero();
    }

    @Test
    void decodesNamesAndCountsRequestsPerCheck() throws Exception {
        fake.healthy("a b/c+d");

        HttpResponse<String> response = get("/result/a%20b%2Fc+d");
        get("/result/a%20b%2Fc+d");
        get("/result/other");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"name\":\"a b/c+d\"");
        assertThat(fake.requestCount("a b/c+d")).isEqualTo(2);
        assertThat(fake.requestCount("other")).isEqualTo(1);
        assertThat(fake.requests()).extracting(FakeCabourotte.Request::rawPath)
                .containsExactly("/result/a%20b%2Fc+d", "/result/a%20b%2Fc+d", "/result/other");
    }

    @Test
    void servesCannedAnswersUntilToldToAnswerNormally() throws Exception {
        fake.healthy("dns").answerServerError();
        assertThat(get("/result/dns").statusCode()).isEqualTo(500);

        fake.answerWith(200, "<html>not json</html>");
        assertThat(get("/result/dns").body()).isEqualTo("<html>not json</html>");

        fake.answerNormally();
        assertThat(get("/result/dns").body()).contains("\"success\":true");
    }

    @Test
    void demandsBasicAuthWhenToldTo() throws Exception {
        fake.healthy("dns").requireBasicAuth("anycastd", "s3cret");

        HttpResponse<String> without = get("/result/dns");
        HttpResponse<String> with = client.send(HttpRequest.newBuilder(fake.url().resolve("/result/dns"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("anycastd:s3cret".getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(with.statusCode()).isEqualTo(200);
        assertThat(fake.requests().get(1).header("authorization")).hasValueSatisfying(value -> assertThat(value).startsWith("Basic "));
    }

    @Test
    void delaysAnswersAndEndsThemWhenClosed() throws Exception {
        fake.healthy("dns").delayAnswers(Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThat(get("/result/dns").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        fake.delayAnswers(Duration.ofMinutes(5));
        CompletableFuture<HttpResponse<String>> hanging = client.sendAsync(
                HttpRequest.newBuilder(fake.url().resolve("/result/dns")).build(), HttpResponse.BodyHandlers.ofString());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fake.requests().size() == 2);
        fake.close();

        assertThat(hanging).failsWithin(Duration.ofSeconds(5));
    }

    @Test
    void rendersTheBodyTheExporterPushes() {
        String body = FakeCabourotte.exporterPushBody("dns", false, "exit status 1", Instant.ofEpochSecond(1_795_477_277L));

        assertThat(keys(body)).isEqualTo(keys(CabourotteFixtures.read(CabourotteFixtures.EXPORTER_PUSH_FAILURE)));
        assertThat(body).startsWith("[{").endsWith("}]").contains("\"healthcheck-timestamp\":1795477277", "\"success\":false");
    }

    @Test
    void escapesNamesAndMessagesAsJson() throws Exception {
        fake.failing("q\"uote", "line\nbreak <b>");

        assertThat(get("/result/q%22uote").body()).contains("\"name\":\"q\\\"uote\"", "\"message\":\"line\\nbreak \\u003cb\\u003e\"");
    }

    @Test
    void startsFromCommandLineArgumentsWithControlEndpoints() throws Exception {
        try (FakeCabourotte lab = FakeCabourotte.startFromArguments("--port=0", "dns", "ntp=failing:no server")) {
            assertThat(get(lab, "/result/dns").body()).contains("\"success\":true");
            assertThat(get(lab, "/result/ntp").body()).contains("\"success\":false", "\"message\":\"no server\"");

            post(lab, "/fake/failing/dns", "resolver down");
            post(lab, "/fake/healthy/ntp", "");
            post(lab, "/fake/delete/other", "");

            assertThat(get(lab, "/result/dns").body()).contains("\"message\":\"resolver down\"");
            assertThat(get(lab, "/result/ntp").body()).contains("\"success\":true");
        }
        assertThatThrownBy(() -> FakeCabourotte.startFromArguments("--port=0", "dns=sick"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"dns=sick\"");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(fake, path);
    }

    private HttpResponse<String> get(FakeCabourotte server, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void post(FakeCabourotte server, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s", path).isEqualTo(200);
    }

    private static List<String> keys(String json) {
        List<String> keys = new ArrayList<>();
        Matcher matcher = KEY.matcher(json);
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }

    private static long timestamp(String json) {
        Matcher matcher = Pattern.compile("\"healthcheck-timestamp\":([0-9]+)").matcher(json);
        assertThat(matcher.find()).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
