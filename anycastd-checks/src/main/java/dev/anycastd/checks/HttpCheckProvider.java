package dev.anycastd.checks;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.PemTrust;
import dev.anycastd.core.spi.Problems;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * Check type {@code http}: healthy while a URL answers with an expected status (and, if asked,
 * a text in its body).
 *
 * <pre>{@code
 * checks.http = ["http://127.0.0.1:8080/health"]                                 # short form: the URL
 * checks.http = [{ url = "https://[::1]:8443/ready", method = "HEAD", expected-status = [200, 204],
 *                  ca-file = "/etc/anycastd/ca.pem", interval = "500ms" }]
 * }</pre>
 *
 * <table>
 *   <caption>options of an http check</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code url}</td><td>required</td><td>an http or https URL, without credentials</td></tr>
 *   <tr><td>{@code method}</td><td>{@code GET}</td><td>{@code GET} or {@code HEAD}</td></tr>
 *   <tr><td>{@code expected-status}</td><td>200-399</td><td>codes and ranges that count as healthy:
 *       {@code [200, 204]}, {@code ["200-299"]}; redirects are not followed</td></tr>
 *   <tr><td>{@code body-contains}</td><td>none</td><td>a text the first 64 KiB of the body must contain (GET only)</td></tr>
 *   <tr><td>{@code ca-file}</td><td>system trust</td><td>PEM certificates to trust for https, instead of the system's
 *       (as the {@code cabourotte} type's)</td></tr>
 *   <tr><td>{@code name}</td><td>the URL</td><td>the check's name in logs and status</td></tr>
 *   <tr><td>{@code interval}</td><td>5 s</td><td>how often it asks; at least 100 ms</td></tr>
 *   <tr><td>{@code timeout}</td><td>80 % of the interval, at most 10 s</td><td>bound on one request; at most the interval</td></tr>
 * </table>
 *
 * <p>Verdicts: an expected status (and body) is healthy; another status, a body without the
 * text, or a refused connection is unhealthy; no answer within the timeout and other failures
 * are unknown. The checks of one provider that share a {@code ca-file} (or none) share one HTTP
 * client, whose connections are kept alive between runs; a waiting request holds no thread.
 * Thread-safe.
 */
public final class HttpCheckProvider implements HealthCheckProvider {

    private static final List<String> OPTIONS = List.of("url", "method", "expected-status", "body-contains", "ca-file", "name",
            "interval", "timeout");
    private static final String URL_HINT = "; use http://HOST:PORT/PATH or https://HOST:PORT/PATH, e.g. \"http://127.0.0.1:8080/health\"";

    /** One client per trust: the system's (empty) or one ca-file's. */
    private final Map<Optional<Path>, HttpClient> clients = new ConcurrentHashMap<>();

    /** The provider {@link java.util.ServiceLoader} builds. */
    public HttpCheckProvider() {
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public List<String> requiredOptions() {
        return List.of("url");
    }

    /** Builds the check; every wrong option is reported at once. */
    @Override
    public HealthCheck create(Options options) throws ConfigurationException {
        Problems problems = CheckBasics.knownOnly(options, OPTIONS);
        URI url = problems.read(() -> url(options));
        String method = problems.read(() -> method(options));
        StatusCodes expected = problems.read(() -> StatusCodes.read(options, "expected-status"));
        String bodyContains = problems.read(() -> bodyContains(options, method));
        Path caFile = problems.read(() -> options.getPath("ca-file", null));
        SSLContext tls = caFile == null || url == null ? null : problems.read(() -> trusting(options, url, caFile));
        CheckBasics basics = CheckBasics.read(options, problems, url == null ? "http" : url.toString());
        problems.throwIfAny();
        HttpClient client = clients.computeIfAbsent(Optional.ofNullable(caFile), key -> client(tls));
        return new HttpCheck(basics, url, method, expected, bodyContains, client);
    }

    /** How many HTTP clients this provider has made: one per trust setting. */
    int clientCount() {
        return clients.size();
    }

    private static HttpClient client(SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                // A health endpoint speaks HTTP/1.1; an h2c upgrade on each new connection buys nothing.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
    }

    private static URI url(Options options) throws ConfigurationException {
        String text = options.getString("url");
        URI url;
        try {
            url = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw options.error("url", Options.quote(text) + " is not a URL (" + e.getReason() + ")" + URL_HINT);
        }
        if (url.getRawUserInfo() != null) {
            // Quoting the value would print the password it carries.
            throw options.error("url", "the URL must not carry credentials" + URL_HINT);
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw options.error("url", Options.quote(text) + " is not an http or https URL" + URL_HINT);
        }
        if (url.getHost() == null) {
            throw options.error("url", Options.quote(text) + " has no host" + URL_HINT);
        }
        if (url.getRawFragment() != null) {
            throw options.error("url", Options.quote(text) + " has a fragment, which is never sent" + URL_HINT);
        }
        return url;
    }

    private static String method(Options options) throws ConfigurationException {
        String method = options.getString("method", "GET");
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw options.error("method", Options.quote(method) + " is not a method a check sends; use \"GET\" or \"HEAD\"");
        }
        return method;
    }

    private static String bodyContains(Options options, String method) throws ConfigurationException {
        String text = options.getString("body-contains", null);
        if (text == null) {
            return null;
        }
        if (text.isEmpty()) {
            throw options.error("body-contains", "is empty; give the text the body must contain, or remove body-contains");
        }
        if ("HEAD".equals(method)) {
            throw options.error("body-contains", "is used only with method \"GET\": a HEAD answer has no body; remove one of them");
        }
        return text;
    }

    private static SSLContext trusting(Options options, URI url, Path caFile) throws ConfigurationException {
        if (!url.getScheme().equalsIgnoreCase("https")) {
            throw options.error("ca-file", "is used only for https, but url \"" + url + "\" is http; use an https url or remove ca-file");
        }
        return PemTrust.read(options, "ca-file", caFile);
    }
}
