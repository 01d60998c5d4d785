package dev.anycastd.cabourotte;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.PemTrust;
import dev.anycastd.core.spi.Problems;
import dev.anycastd.core.spi.PushRequestListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

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
 *   <tr><td>{@code interval}</td><td>5 s</td><td>how often the result is read: seconds ({@code 1}, {@code 0.5}) or text ({@code 500ms}, {@code 2s}, {@code PT5S}); at least 100 ms</td></tr>
 *   <tr><td>{@code timeout}</td><td>80 % of the interval, at most 10 s</td><td>bound on one read; at most the interval</td></tr>
 *   <tr><td>{@code max-age}</td><td>off</td><td>a result whose {@code healthcheck-timestamp} is older is stale, so not healthy</td></tr>
 *   <tr><td>{@code username}, {@code password} or {@code password-file}</td><td>none</td><td>HTTP basic auth</td></tr>
 *   <tr><td>{@code ca-file}</td><td>system trust</td><td>PEM certificates to trust for https, instead of the system's</td></tr>
 *   <tr><td>{@code read-all}</td><td>automatic</td><td>{@code true}: read the result from {@code GET {url}/result},
 *       every result at once, one read shared by every check of this Cabourotte that reads it within 100 ms;
 *       {@code false}: always {@code GET {url}/result/{name}}; unset: the shared read while at least two checks
 *       of this Cabourotte read it together and it holds at most 100 results per such check, else one
 *       request per check</td></tr>
 *   <tr><td>{@code push-listen}</td><td>off</td><td>also receive the results Cabourotte's HTTP exporter pushes, on this
 *       loopback address and port: {@code "127.0.0.1:9014"}, {@code "[::1]:9014"}</td></tr>
 *   <tr><td>{@code push-path}</td><td>{@code /anycastd/cabourotte}</td><td>the path the exporter posts to</td></tr>
 *   <tr><td>{@code push-secret} or {@code push-secret-file}</td><td>none</td><td>a shared secret the exporter must send
 *       as {@code Authorization: Bearer SECRET}</td></tr>
 * </table>
 *
 * <p>Verdicts: {@code success: true} is healthy; {@code success: false} is unhealthy with
 * Cabourotte's message; a check Cabourotte does not have (404) is unhealthy; no answer within
 * the timeout, a refused connection, any other HTTP status, a body that is not the check's
 * result or is over 64 KiB, and a stale result are unknown. All but healthy withdraw.
 *
 * <p>With {@code push-listen}, a result Cabourotte pushes reaches the service at once instead of
 * at the next read; reads go on at the interval, so a check whose pushes stop is still read,
 * and {@code max-age} applies to pushed results too. See {@code docs/CABOUROTTE-PUSH.md}.
 *
 * <p>Checks built by one provider instance that name the same URL, credentials and CA file
 * share one HTTP client, and checks that name the same {@code push-listen} share one listening
 * socket, so a daemon makes no thread or connection per check. Credentials and secrets appear
 * in no log line and no error message. Thread-safe.
 */
public final class CabourotteCheckProvider implements HealthCheckProvider {

    /** The type name configurations select this provider by. */
    static final String TYPE = "cabourotte";
    /** Cabourotte's own default listen address. */
    static final URI DEFAULT_URL = URI.create("http://127.0.0.1:9013");
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    static final Duration LONGEST_DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final String DEFAULT_PUSH_PATH = "/anycastd/cabourotte";

    private static final List<String> OPTIONS = List.of("name", "url", "interval", "timeout", "max-age", "username", "password",
            "password-file", "ca-file", "read-all", "push-listen", "push-path", "push-secret", "push-secret-file");
    private static final String LISTEN_HINT = "; use a loopback address and port, e.g. \"127.0.0.1:9014\" or \"[::1]:9014\"";

    private final Map<CabourotteClient.Endpoint, CabourotteClient> clients = new ConcurrentHashMap<>();
    /** One shared {@code GET /result} per client, for the checks with {@code read-all}. */
    private final Map<CabourotteClient.Endpoint, ResultList> resultLists = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, PushReceiver> receivers = new ConcurrentHashMap<>();
    private final Clock clock;
    /** Where the receivers report each request they answer; replaced by {@link #publishPushRequestsTo}. */
    private volatile PushRequestListener pushRequests = PushRequestListener.NONE;

    /** The provider {@link java.util.ServiceLoader} builds; results are aged with the system clock. */
    public CabourotteCheckProvider() {
        this(Clock.systemUTC());
    }

    CabourotteCheckProvider(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> requiredOptions() {
        return List.of("name");
    }

    /**
     * Builds the check; every wrong option is reported at once, in one
     * {@link ConfigurationException}, as the configuration reader reports the rest of a file.
     */
    @Override
    public HealthCheck create(Options options) throws ConfigurationException {
        Problems problems = new Problems();
        problems.read(() -> {
            options.requireOnly(OPTIONS);
            return null;
        });
        String name = problems.read(() -> checkName(options));
        URI url = problems.read(() -> url(options));
        Duration interval = problems.read(() -> options.getInterval("interval", DEFAULT_INTERVAL));
        Duration timeout = problems.read(() -> timeout(options, interval));
        Duration maxAge = problems.read(() -> options.getDuration("max-age", null));
        CabourotteClient.Credentials credentials = problems.read(() -> credentials(options));
        Path caFile = problems.read(() -> options.getPath("ca-file", null));
        SSLContext tls = caFile == null || url == null ? null : problems.read(() -> trusting(options, url, caFile));
        // Unset: the list is read while it is cheaper than one request per check (ResultList#worthReading).
        Boolean readAll = problems.read(() -> options.has("read-all") ? options.getBoolean("read-all", false) : null);
        PushSettings pushSettings = problems.read(() -> pushSettings(options));
        problems.throwIfAny();
        CabourotteCheck.PushRoute push = pushSettings == null ? null : pushRoute(options, pushSettings);
        CabourotteClient.Endpoint endpoint = new CabourotteClient.Endpoint(url, credentials, caFile);
        CabourotteClient client = clients.computeIfAbsent(endpoint, key -> new CabourotteClient(key, tls));
        ResultList resultList = Boolean.FALSE.equals(readAll) ? null
                : resultLists.computeIfAbsent(endpoint, key -> new ResultList(client, ResultList.REUSE));
        CabourotteResult.load();
        return new CabourotteCheck(name, client, interval, timeout, maxAge, clock, push, resultList, readAll == null);
    }

    /** Receivers made before and after this call report to {@code listener}. */
    @Override
    public void publishPushRequestsTo(PushRequestListener listener) {
        pushRequests = Objects.requireNonNull(listener, "listener");
    }

    /** How many distinct HTTP clients this provider has made: one per Cabourotte endpoint. */
    int clientCount() {
        return clients.size();
    }

    /** How many push receivers this provider has made: one per listen address. */
    int receiverCount() {
        return receivers.size();
    }

    /** The push options of one check, read and checked but not yet declared on a receiver. */
    private record PushSettings(InetSocketAddress listen, String path, String secretKey, PushReceiver.Secret secret) {
    }

    /** The push options, or {@code null} without {@code push-listen}; all their problems at once. */
    private static PushSettings pushSettings(Options options) throws ConfigurationException {
        if (!options.has("push-listen")) {
            for (String key : List.of("push-path", "push-secret", "push-secret-file")) {
                if (options.has(key)) {
                    throw options.error(key, "is used only with push-listen; add push-listen = \"127.0.0.1:9014\" or remove " + key);
                }
            }
            return null;
        }
        Problems problems = new Problems();
        InetSocketAddress listen = problems.read(() -> listenAddress(options));
        String path = problems.read(() -> pushPath(options));
        String secretKey = options.has("push-secret-file") ? "push-secret-file" : "push-secret";
        PushReceiver.Secret secret = problems.read(() -> {
            String secretText = secret(options, "push-secret", "push-secret-file");
            if (secretText != null && (secretText.isEmpty() || secretText.codePoints().anyMatch(Character::isISOControl))) {
                throw options.error(secretKey, "the secret is empty or holds control characters (it is not shown); it is sent in "
                        + "an HTTP header, so use printable text");
            }
            return secretText == null ? null : PushReceiver.Secret.of(secretText);
        });
        problems.throwIfAny();
        return new PushSettings(listen, path, secretKey, secret);
    }

    /** Declares the check's push path on the receiver of its listen address, shared with the checks that name it too. */
    private CabourotteCheck.PushRoute pushRoute(Options options, PushSettings settings) throws ConfigurationException {
        PushReceiver receiver = receivers.computeIfAbsent(settings.listen(),
                listen -> new PushReceiver(listen, outcome -> pushRequests.answered(outcome)));
        try {
            receiver.declare(settings.path(), settings.secret());
        } catch (PushReceiver.ConflictException e) {
            throw options.error(settings.secretKey(), e.getMessage() + "; checks that share push-listen and push-path must give "
                    + "the same push-secret (or none), or use another push-path");
        }
        return new CabourotteCheck.PushRoute(receiver, settings.path(), settings.secret() != null);
    }

    /** {@code HOST:PORT} with a literal loopback address; never a name, so no DNS is asked. */
    private static InetSocketAddress listenAddress(Options options) throws ConfigurationException {
        String text = options.getString("push-listen");
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw options.error("push-listen", Options.quote(text) + " has no port" + LISTEN_HINT);
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw options.error("push-listen", Options.quote(text) + " has an IPv6 address without brackets" + LISTEN_HINT);
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw options.error("push-listen", Options.quote(text) + " has no port from 1 to 65535" + LISTEN_HINT);
        }
        InetAddress address;
        try {
            if (host.indexOf('/') >= 0) {
                throw new IllegalArgumentException("a prefix, not an address");
            }
            address = IpPrefix.parse(host).address();
        } catch (IllegalArgumentException e) {
            throw options.error("push-listen", Options.quote(text) + " does not start with an IP address" + LISTEN_HINT);
        }
        if (!address.isLoopbackAddress()) {
            throw options.error("push-listen", Options.quote(text) + " is not a loopback address; pushes are received from this host "
                    + "only, so run Cabourotte here and" + LISTEN_HINT.substring(1));
        }
        return new InetSocketAddress(address, Integer.parseInt(port));
    }

    private static String pushPath(Options options) throws ConfigurationException {
        String path = options.getString("push-path", DEFAULT_PUSH_PATH);
        if (!path.matches("(/[A-Za-z0-9._~-]+)+|/") || path.contains("/../") || path.endsWith("/..") || path.contains("/./")
                || path.endsWith("/.")) {
            throw options.error("push-path", Options.quote(path) + " is not a path; use '/' and segments of letters, digits, "
                    + "'-', '_', '.', '~', e.g. \"" + DEFAULT_PUSH_PATH + "\"");
        }
        return path;
    }

    private static String checkName(Options options) throws ConfigurationException {
        String name = options.getString("name");
        if (name.isBlank() || name.codePoints().anyMatch(Character::isISOControl)) {
            throw options.error("name", Options.quote(name) + " is not a check name; give the name Cabourotte knows the check by, "
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
            throw options.error("url", Options.quote(text) + " is not a URL (" + e.getReason() + ")" + hint);
        }
        if (url.getRawUserInfo() != null) {
            // Quoting the value would print the password it carries.
            throw options.error("url", "the URL must not carry credentials; give them with username and password-file");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw options.error("url", Options.quote(text) + " is not an http or https URL" + hint);
        }
        if (url.getHost() == null) {
            throw options.error("url", Options.quote(text) + " has no host" + hint);
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw options.error("url", Options.quote(text) + " has a query or fragment; give only the base URL of Cabourotte's API" + hint);
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        return URI.create(scheme + "://" + url.getRawAuthority() + path);
    }

    /** The timeout; when the interval was wrong ({@code null}), only whether it reads as a duration. */
    private static Duration timeout(Options options, Duration interval) throws ConfigurationException {
        if (interval == null) {
            return options.getDuration("timeout", null);
        }
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
        String password = secret(options, "password", "password-file");
        if (username == null) {
            if (password != null) {
                String key = options.has("password") ? "password" : "password-file";
                throw options.error(key, "a password is given without username; add username");
            }
            return null;
        }
        if (username.isEmpty() || username.indexOf(':') >= 0 || username.codePoints().anyMatch(Character::isISOControl)) {
            throw options.error("username", Options.quote(username) + " cannot be sent with HTTP basic auth; "
                    + "use a name without ':' or control characters");
        }
        if (password == null) {
            throw options.error("username", "is given without password or password-file; add one of them");
        }
        return new CabourotteClient.Credentials(username, password);
    }

    /**
     * A secret given inline ({@code key}) or in a file ({@code fileKey}), or {@code null} when
     * neither is given; never quoted in an error.
     */
    private static String secret(Options options, String key, String fileKey) throws ConfigurationException {
        if (options.has(key) && options.has(fileKey)) {
            throw options.error(fileKey, "both " + key + " and " + fileKey + " are given; keep one of them");
        }
        if (options.has(key)) {
            Object value = options.get(key).orElseThrow();
            if (!(value instanceof String text)) {
                throw options.error(key, "expected text (the value is not shown)");
            }
            return text;
        }
        Path file = options.getPath(fileKey, null);
        if (file == null) {
            return null;
        }
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw options.error(fileKey, "cannot read " + Options.quote(file.toString()) + " (" + e.getClass().getSimpleName()
                    + "); make it readable by the user anycastd runs as");
        }
        // Editors and `echo` end the file with a newline that is not part of the secret.
        String secret = content.endsWith("\r\n") ? content.substring(0, content.length() - 2)
                : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        if (secret.isEmpty()) {
            throw options.error(fileKey, Options.quote(file.toString()) + " is empty; put the " + key.replace('-', ' ') + " in it");
        }
        return secret;
    }

    private static SSLContext trusting(Options options, URI url, Path caFile) throws ConfigurationException {
        if (!url.getScheme().equals("https")) {
            throw options.error("ca-file", "is used only for https, but url \"" + url + "\" is http; use an https url or remove ca-file");
        }
        return PemTrust.read(options, "ca-file", caFile);
    }
}
