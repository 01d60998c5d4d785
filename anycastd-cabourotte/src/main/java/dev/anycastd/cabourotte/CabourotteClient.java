package dev.anycastd.cabourotte;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Reads results from one Cabourotte's HTTP API. One instance, with its one {@link HttpClient}
 * (and so its connections and its few threads), serves every check that names the same
 * {@link Endpoint}. Thread-safe.
 */
final class CabourotteClient {

    /** Bodies past this size are refused: a check result is a few hundred bytes. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** The bound on {@code GET /result}: some 40,000 results of a few hundred bytes. */
    static final int MAX_LIST_BYTES = 8 * 1024 * 1024;

    /**
     * What makes two checks share a client: the same base URL, credentials and trust.
     *
     * @param url base URL without a trailing slash, e.g. {@code http://127.0.0.1:9013}
     * @param credentials HTTP basic credentials, or {@code null} for none
     * @param caFile the PEM file of trusted certificates, or {@code null} for the system's
     */
    record Endpoint(URI url, Credentials credentials, Path caFile) {
        Endpoint {
            Objects.requireNonNull(url, "url");
        }
    }

    /**
     * HTTP basic credentials. {@link #toString()} leaves the password out, so they can be part of
     * a value that is logged or compared.
     */
    record Credentials(String username, String password) {
        Credentials {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        String authorization() {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=(hidden)]";
        }
    }

    /**
     * An HTTP answer.
     *
     * @param uri what was requested
     * @param status the HTTP status
     * @param body the body, at most {@link #MAX_BODY_BYTES}
     */
    record Answer(URI uri, int status, byte[] body) {
    }

    private final Endpoint endpoint;
    private final HttpClient http;

    /**
     * A client for {@code endpoint}.
     *
     * @param tls the trust to use for https, or {@code null} for the system's
     */
    CabourotteClient(Endpoint endpoint, SSLContext tls) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        HttpClient.Builder builder = HttpClient.newBuilder()
                // Cabourotte speaks HTTP/1.1; asking for an h2c upgrade on each connection buys nothing.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    /** The base URL, for messages: it never carries credentials. */
    URI url() {
        return endpoint.url();
    }

    /** The URL of check {@code name}'s result: the name is one percent-encoded path segment. */
    URI resultUri(String name) {
        return URI.create(endpoint.url() + "/result/" + encodePathSegment(name));
    }

    /**
     * {@code GET /result/{name}}, bounded by {@code timeout}, ready to be sent at every read: an
     * {@link HttpRequest} is immutable, so a check builds (and parses its URL) once, not per read.
     */
    HttpRequest resultRequest(String name, Duration timeout) {
        return request(resultUri(name), timeout);
    }

    /** {@code GET /result}, every result, bounded by {@code timeout}, ready to be sent at every read. */
    HttpRequest resultsRequest(Duration timeout) {
        return request(URI.create(endpoint.url() + "/result"), timeout);
    }

    /**
     * Sends {@code GET /result/{name}} made by {@link #resultRequest}, the whole exchange bounded
     * by {@code timeout}.
     *
     * @throws CabourotteException when there is no complete answer within the timeout
     * @throws InterruptedException when interrupted; the request is then abandoned
     */
    Answer getResult(HttpRequest request, Duration timeout) throws CabourotteException, InterruptedException {
        return get(request, MAX_BODY_BYTES, timeout);
    }

    /**
     * Sends {@code GET /result} made by {@link #resultsRequest}, the whole exchange bounded by
     * {@code timeout}; the body may be up to {@link #MAX_LIST_BYTES}.
     *
     * @throws CabourotteException when there is no complete answer within the timeout
     * @throws InterruptedException when interrupted; the request is then abandoned
     */
    Answer getResults(HttpRequest request, Duration timeout) throws CabourotteException, InterruptedException {
        return get(request, MAX_LIST_BYTES, timeout);
    }

    private HttpRequest request(URI uri, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .GET()
                .timeout(timeout)
                .header("Accept", "application/json");
        if (endpoint.credentials() != null) {
            request.header("Authorization", endpoint.credentials().authorization());
        }
        return request.build();
    }

    private Answer get(HttpRequest request, int maxBytes, Duration timeout) throws CabourotteException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = request.uri();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, BoundedBody.handler(maxBytes));
        try {
            // The request timeout covers only the wait for the headers; this bounds the body too.
            HttpResponse<byte[]> response = exchange.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            return new Answer(uri, response.statusCode(), response.body());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw timedOut(uri, timeout, e);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw failure(uri, maxBytes, timeout, e.getCause());
        }
    }

    private static CabourotteException failure(URI uri, int maxBytes, Duration timeout, Throwable cause) {
        Throwable error = cause;
        while ((error instanceof CompletionException || error instanceof ExecutionException) && error.getCause() != null) {
            error = error.getCause();
        }
        if (error instanceof HttpTimeoutException) {
            return timedOut(uri, timeout, error);
        }
        if (error instanceof BoundedBody.TooLargeException) {
            return new CabourotteException(CabourotteException.Kind.TOO_LARGE, uri,
                    "Cabourotte answered GET " + uri + " with a body larger than " + maxBytes + " bytes", error);
        }
        if (error instanceof ConnectException || error instanceof NoRouteToHostException || error instanceof UnknownHostException) {
            return new CabourotteException(CabourotteException.Kind.UNREACHABLE, uri,
                    "cannot connect to Cabourotte at " + origin(uri) + ": " + describe(error), error);
        }
        if (error instanceof SSLException) {
            return new CabourotteException(CabourotteException.Kind.FAILED, uri,
                    "TLS with Cabourotte at " + origin(uri) + " failed: " + describe(error)
                            + "; check url and ca-file", error);
        }
        return new CabourotteException(CabourotteException.Kind.FAILED, uri,
                "reading GET " + uri + " failed: " + describe(error), error);
    }

    private static CabourotteException timedOut(URI uri, Duration timeout, Throwable cause) {
        String what = cause instanceof HttpConnectTimeoutException
                ? "Cabourotte at " + origin(uri) + " did not accept a connection"
                : "Cabourotte did not answer GET " + uri;
        return new CabourotteException(CabourotteException.Kind.TIMED_OUT, uri,
                what + " within " + timeout.toMillis() + " ms", cause);
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** The exception's message, or its type when it has none (a refused connection often has none). */
    private static String describe(Throwable error) {
        String message = error.getMessage();
        if (error instanceof ConnectException && (message == null || message.isBlank())) {
            return "connection refused";
        }
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }

    /**
     * RFC 3986: everything but the unreserved characters is percent-encoded, '/' included; the
     * names "." and ".." too, which a server would otherwise read as "this" and "parent" directory.
     */
    static String encodePathSegment(String text) {
        if (text.equals(".") || text.equals("..")) {
            return text.replace(".", "%2E");
        }
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
