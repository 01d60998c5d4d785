package dev.anycastd.checks;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.Options;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Healthy when a GET (or HEAD) of one URL answers with an expected status and, if asked, a body
 * whose first {@link #BODY_LIMIT} bytes contain a text. A refused connection and an unexpected
 * status or body are unhealthy; no answer within the timeout and any other failure (TLS, a
 * reset) are unknown. The request is sent asynchronously on the provider's shared client, so a
 * run holds no thread while it waits, and its connections are kept alive between runs.
 */
final class HttpCheck implements HealthCheck {

    /** How much of a body is searched for {@code body-contains}; the rest is not downloaded. */
    static final int BODY_LIMIT = 64 * 1024;

    private final CheckBasics basics;
    private final URI url;
    private final String method;
    private final StatusCodes expected;
    private final String bodyContains;
    private final HttpClient client;
    private final CheckOutcomes outcomes;

    HttpCheck(CheckBasics basics, URI url, String method, StatusCodes expected, String bodyContains, HttpClient client) {
        this.basics = basics;
        this.url = url;
        this.method = method;
        this.expected = expected;
        this.bodyContains = bodyContains;
        this.client = client;
        this.outcomes = new CheckOutcomes(basics.name(), describe());
    }

    @Override
    public String name() {
        return basics.name();
    }

    /** {@code http web GET http://127.0.0.1:8080/health}, without the name when it is the URL. */
    @Override
    public String describe() {
        return "http " + (basics.name().equals(url.toString()) ? "" : basics.name() + " ") + method + " " + url;
    }

    @Override
    public Duration interval() {
        return basics.interval();
    }

    @Override
    public Duration timeout() {
        return basics.timeout();
    }

    /** {@code status 200-399}, and {@code body-contains "ok"} when given. */
    @Override
    public List<String> settings() {
        List<String> settings = new ArrayList<>();
        settings.add("expected-status " + expected.text());
        if (bodyContains != null) {
            settings.add("body-contains " + Options.quote(bodyContains));
        }
        return List.copyOf(settings);
    }

    @Override
    public Health check() {
        return Waiting.forResult(checkAsync());
    }

    @Override
    public CompletionStage<Health> checkAsync() {
        HttpRequest request = HttpRequest.newBuilder(url)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(basics.timeout())
                .header("User-Agent", "anycastd")
                .build();
        CompletableFuture<Health> result = new CompletableFuture<>();
        CompletableFuture<Health> exchange;
        if (bodyContains == null || method.equals("HEAD")) {
            exchange = client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(response -> judge(response.statusCode(), null));
        } else {
            exchange = client.sendAsync(request, BodyStart.upTo(BODY_LIMIT))
                    .thenApply(response -> judge(response.statusCode(), response.body()));
        }
        exchange.whenComplete((health, error) -> result.complete(health != null ? health : failed(error)));
        result.completeOnTimeout(Health.unknown("no answer from " + url + " within " + basics.timeout().toMillis() + " ms"),
                basics.timeout().toNanos(), TimeUnit.NANOSECONDS);
        result.whenComplete((health, error) -> {
            // Ended by the timeout or the runtime: stop the exchange too (its connection is not reused).
            exchange.cancel(true);
            if (health != null) {
                outcomes.record(health, "");
            }
        });
        return result;
    }

    private Health judge(int status, byte[] body) {
        if (!expected.contains(status)) {
            return Health.unhealthy(method + " " + url + " answered " + status + ", expected " + expected.text());
        }
        if (body != null && !new String(body, StandardCharsets.UTF_8).contains(bodyContains)) {
            return Health.unhealthy(method + " " + url + " answered " + status + " without "
                    + Options.quote(bodyContains) + " in the first " + body.length + " bytes of its body");
        }
        return Health.healthy();
    }

    private Health failed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof ConnectException && (message.toLowerCase(Locale.ROOT).contains("refused")
                || cause.getCause() != null && String.valueOf(cause.getCause().getMessage()).toLowerCase(Locale.ROOT).contains("refused"))) {
            return Health.unhealthy("connection to " + url + " refused");
        }
        if (cause instanceof HttpTimeoutException) {
            return Health.unknown("no answer from " + url + " within " + basics.timeout().toMillis() + " ms");
        }
        if (cause instanceof SSLException) {
            return Health.unknown("TLS with " + url + " failed: " + message + "; check url and ca-file");
        }
        return Health.unknown(method + " " + url + " failed: " + cause.getClass().getSimpleName() + ": " + message);
    }
}
