package dev.anycastd.checks;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.spi.Options;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLException;

/**
 * Healthy when a GET (or HEAD) of one URL answers with an expected status and, if asked, a body
 * whose first {@link #BODY_LIMIT} bytes contain a text. A refused connection and an unexpected
 * status or body are unhealthy; no answer within the timeout, a host name that does not resolve
 * (looked up at each run, on the worker that starts it) and any other failure (TLS, a reset) are
 * unknown. The request is sent asynchronously on the provider's shared client, so a
 * run holds no thread while it waits, and its connections are kept alive between runs.
 */
final class HttpCheck extends InProcessCheck {

    /** How much of a body is searched for {@code body-contains}; the rest is not downloaded. */
    static final int BODY_LIMIT = 64 * 1024;

    private final URI url;
    private final String method;
    private final StatusCodes expected;
    private final String bodyContains;
    private final HttpClient client;

    HttpCheck(CheckBasics basics, URI url, String method, StatusCodes expected, String bodyContains, HttpClient client) {
        // http web GET http://127.0.0.1:8080/health, without the name when it is the URL
        super(basics, "http " + (basics.name().equals(url.toString()) ? "" : basics.name() + " ") + method + " " + url);
        this.url = url;
        this.method = method;
        this.expected = expected;
        this.bodyContains = bodyContains;
        this.client = client;
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
    public CompletionStage<Health> checkAsync() {
        // The JDK's client reports a name that does not resolve as it reports a refused connection;
        // resolving first (a literal address needs no lookup) tells them apart.
        try {
            InetAddress.getByName(url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost());
        } catch (UnknownHostException e) {
            return Run.ended(outcomes, Health.unknown("cannot resolve " + url.getHost()));
        }
        HttpRequest request = HttpRequest.newBuilder(url)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(timeout())
                .header("User-Agent", "anycastd")
                .build();
        CompletableFuture<Health> exchange;
        if (bodyContains == null || method.equals("HEAD")) {
            exchange = client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(response -> judge(response.statusCode(), null));
        } else {
            exchange = client.sendAsync(request, BodyStart.upTo(BODY_LIMIT))
                    .thenApply(response -> judge(response.statusCode(), response.body()));
        }
        // Ended by the timeout or the runtime: the exchange is stopped too (its connection is not reused).
        Run run = new Run(outcomes, timeout(),
                () -> Health.unknown("no answer from " + url + " within " + timeout().toMillis() + " ms"),
                () -> {
                    exchange.cancel(true);
                    return "";
                });
        exchange.whenComplete((health, error) -> run.end(health != null ? health : failed(error)));
        return run.future();
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

    /**
     * Whether a failed connect was refused: the JDK's client (17) reports a refused connection as
     * a {@code ConnectException} without a message (its cause a closed channel), or with
     * "Connection refused" along its causes; a message that says anything else is not a refusal.
     */
    private static boolean refused(Throwable error) {
        for (Throwable at = error; at != null; at = at.getCause()) {
            if (at.getMessage() != null) {
                return at.getMessage().toLowerCase(Locale.ROOT).contains("refused");
            }
        }
        return true;
    }

    private Health failed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof ConnectException && refused(cause)) {
            return Health.unhealthy("connection to " + url + " refused");
        }
        if (cause instanceof HttpTimeoutException) {
            return Health.unknown("no answer from " + url + " within " + timeout().toMillis() + " ms");
        }
        if (cause instanceof SSLException) {
            return Health.unknown("TLS with " + url + " failed: " + message + "; check url and ca-file");
        }
        return Health.unknown(method + " " + url + " failed: " + cause.getClass().getSimpleName() + ": " + message);
    }
}
