package dev.anycastd.cabourotte;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Options;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Check type {@code cabourotte}: a service's check passes while the check of that name in
 * <a href="https://github.com/appclacks/cabourotte">Cabourotte</a> passes, read from
 * Cabourotte's HTTP API ({@code GET {url}/result/{name}}) at every interval.
 *
 * <p>Options, as in the original anycastd plus new optional ones:
 * <table>
 *   <caption>options of a cabourotte check</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code name}</td><td>required</td><td>the check's name in Cabourotte; alone, the short form {@code ["dns"]}</td></tr>
 *   <tr><td>{@code url}</td><td>{@code http://127.0.0.1:9013}</td><td>base URL of Cabourotte's API, http or https</td></tr>
 *   <tr><td>{@code interval}</td><td>5 s</td><td>how often the result is read: seconds ({@code 1}, {@code 0.5}) or text ({@code 500ms}, {@code 2s}, {@code PT5S})</td></tr>
 *   <tr><td>{@code timeout}</td><td>80 % of the interval, at most 10 s</td><td>bound on one read; at most the interval</td></tr>
 *   <tr><td>{@code max-age}</td><td>off</td><td>a result whose {@code healthcheck-timestamp} is older is stale, so not healthy</td></tr>
 *   <tr><td>{@code username}, {@code password} or {@code password-file}</td><td>none</td><td>HTTP basic auth</td></tr>
 *   <tr><td>{@code ca-file}</td><td>system trust</td><td>PEM certificates to trust for https, instead of the system's</td></tr>
 * </table>
 *
 * <p>Verdicts: {@code success: true} is healthy; {@code success: false} is unhealthy with
 * Cabourotte's message; a check Cabourotte does not have (404) is unhealthy; no answer within
 * the timeout, a refused connection, any other HTTP status, a body that is not the check's
 * result or is over 64 KiB, and a stale result are unknown. All but healthy withdraw.
 *
 * <p>Checks built by one provider instance that name the same URL, credentials and CA file
 * share one HTTP client, so a daemon makes no thread or connection per check. Credentials
 * appear in no log line and no error message. Thread-safe.
 */
public final class CabourotteCheckProvider implements HealthCheckProvider {

    /** Cabourotte's own default listen address. */
    static final URI DEFAULT_URL = URI.create("http://127.0.0.1:9013");
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    static final Duration LONGEST_DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final List<String> OPTIONS =
            List.of("name", "url", "interval", "timeout", "max-age", "username", "password", "password-file", "ca-file");

    private final Map<CabourotteClient.Endpoint, CabourotteClient> clients = new ConcurrentHashMap<>();
    private final Clock clock;

    /** The provider {@link java.util.ServiceLoader} builds; results are aged with the system clock. */
    public CabourotteCheckProvider() {
        this(Clock.systemUTC());
    }

    CabourotteCheckProvider(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String type() {
        return "cabourotte";
    }

    @Override
    public List<String> requiredOptions() {
        return List.of("name");
    }

    @Override
    public HealthCheck create(Options options) throws ConfigurationException {
        options.requireOnly(OPTIONS);
        String name = checkName(options);
        URI url = url(options);
        Duration interval = options.getDuration("interval", DEFAULT_INTERVAL);
        Duration timeout = timeout(options, interval);
        Duration maxAge = options.getDuration("max-age", null);
        CabourotteClient.Credentials credentials = credentials(options);
        Path caFile = options.getPath("ca-file", null);
        SSLContext tls = null;
        if (caFile != null) {
            if (!url.getScheme().equals("https")) {
                throw options.error("ca-file", "is used only for https, but url \"" + url + "\" is http; use an https url or remove ca-file");
            }
            tls = trusting(options, caFile);
        }
        CabourotteClient.Endpoint endpoint = new CabourotteClient.Endpoint(url, credentials, caFile);
        SSLContext trust = tls;
        CabourotteClient client = clients.computeIfAbsent(endpoint, key -> new CabourotteClient(key, trust));
        CabourotteResult.load();
        return new CabourotteCheck(name, client, interval, timeout, maxAge, clock);
    }

    /** How many distinct HTTP clients this provider has made: one per Cabourotte endpoint. */
    int clientCount() {
        return clients.size();
    }

    private static String checkName(Options options) throws ConfigurationException {
        String name = options.getString("name");
        if (name.isBlank() || name.codePoints().anyMatch(Character::isISOControl)) {
            throw options.error("name", quote(name) + " is not a check name; give the name Cabourotte knows the check by, "
                    + "without control characters");
        }
        return name;
    }

    private static URI url(Options options) throws ConfigurationException {
        String text = options.getString("url", null);
        if (text == null) {
            return DEFAULT_URL;
        }
        String hint = "; use http://HOST:PORT or https://HOST:PORT, e.g. " + DEFAULT_URL;
        URI url;
        try {
            url = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw options.error("url", quote(text) + " is not a URL (" + e.getReason() + ")" + hint);
        }
        if (url.getRawUserInfo() != null) {
            // Quoting the value would print the password it carries.
            throw options.error("url", "the URL must not carry credentials; give them with username and password-file");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw options.error("url", quote(text) + " is not an http or https URL" + hint);
        }
        if (url.getHost() == null) {
            throw options.error("url", quote(text) + " has no host" + hint);
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw options.error("url", quote(text) + " has a query or fragment; give only the base URL of Cabourotte's API" + hint);
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        return URI.create(scheme + "://" + url.getRawAuthority() + path);
    }

    private static Duration timeout(Options options, Duration interval) throws ConfigurationException {
        Duration fallback = interval.multipliedBy(4).dividedBy(5);
        if (fallback.compareTo(LONGEST_DEFAULT_TIMEOUT) > 0) {
            fallback = LONGEST_DEFAULT_TIMEOUT;
        }
        Duration timeout = options.getDuration("timeout", fallback);
        if (timeout.compareTo(interval) > 0) {
            throw options.error("timeout", CabourotteCheck.describe(timeout) + " is longer than the interval ("
                    + CabourotteCheck.describe(interval) + "); a read must end before the next is due, so use at most the interval");
        }
        return timeout;
    }

    private static CabourotteClient.Credentials credentials(Options options) throws ConfigurationException {
        String username = options.getString("username", null);
        String password = password(options);
        if (username == null) {
            if (password != null) {
                String key = options.has("password") ? "password" : "password-file";
                throw options.error(key, "a password is given without username; add username");
            }
            return null;
        }
        if (username.isEmpty() || username.indexOf(':') >= 0 || username.codePoints().anyMatch(Character::isISOControl)) {
            throw options.error("username", quote(username) + " cannot be sent with HTTP basic auth; "
                    + "use a name without ':' or control characters");
        }
        if (password == null) {
            throw options.error("username", "is given without password or password-file; add one of them");
        }
        return new CabourotteClient.Credentials(username, password);
    }

    /** The password from {@code password} or {@code password-file}; never quoted in an error. */
    private static String password(Options options) throws ConfigurationException {
        if (options.has("password") && options.has("password-file")) {
            throw options.error("password-file", "both password and password-file are given; keep one of them");
        }
        if (options.has("password")) {
            Object value = options.get("password").orElseThrow();
            if (!(value instanceof String text)) {
                throw options.error("password", "expected text (the value is not shown)");
            }
            return text;
        }
        Path file = options.getPath("password-file", null);
        if (file == null) {
            return null;
        }
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw options.error("password-file", "cannot read " + quote(file.toString()) + " (" + e.getClass().getSimpleName()
                    + "); make it readable by the user anycastd runs as");
        }
        // Editors and `echo` end the file with a newline that is not part of the password.
        String password = content.endsWith("\r\n") ? content.substring(0, content.length() - 2)
                : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        if (password.isEmpty()) {
            throw options.error("password-file", quote(file.toString()) + " is empty; put the password in it");
        }
        return password;
    }

    private static SSLContext trusting(Options options, Path caFile) throws ConfigurationException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw options.error("ca-file", "cannot read " + quote(caFile.toString()) + " (" + e.getClass().getSimpleName()
                    + "); make it readable by the user anycastd runs as");
        } catch (GeneralSecurityException e) {
            throw options.error("ca-file", quote(caFile.toString()) + " does not hold PEM certificates (" + e.getMessage()
                    + "); give the CA certificate that signed Cabourotte's, in PEM");
        }
        if (certificates.isEmpty()) {
            throw options.error("ca-file", quote(caFile.toString()) + " holds no certificate; give the CA certificate that "
                    + "signed Cabourotte's, in PEM");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot build a TLS context from " + caFile + ": " + e, e);
        }
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (Character.isISOControl(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }
}
