package dev.anycastd.testkit.cabourotte;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A fake Cabourotte for tests and demos: an HTTP server on a loopback port that answers
 * {@code GET /result/{name}} and {@code GET /result} the way Cabourotte v1.12 does, with
 * bodies shaped like the captured fixtures next to this class (same field names and order,
 * float {@code duration}, the same 404 body). It runs no checks: the test decides each
 * check's result with {@link #healthy}, {@link #failing} and {@link #delete}, and can make the
 * server slow ({@link #delayAnswers}), broken ({@link #answerWith}) or demand basic auth
 * ({@link #requireBasicAuth}). Every request is recorded.
 *
 * <p>It is a fake: it models only what anycastd reads, not Cabourotte's checks, exporters or
 * its API for managing checks. Thread-safe: tests change it while requests are served.
 *
 * <p>Runnable for labs and demos: {@code java -cp anycastd-testkit.jar
 * dev.anycastd.testkit.cabourotte.FakeCabourotte [--port=9013] [dns] [ntp=failing]} (see
 * {@link #main}).
 */
public final class FakeCabourotte implements AutoCloseable {

    private static final String JSON = "application/json; charset=UTF-8";

    static {
        // The JDK's server writes headers and body in two segments; with Nagle's algorithm on, a
        // kept-alive connection then waits for the client's delayed ACK (~40 ms a request), which
        // Cabourotte (one write) does not. Read once, when the JDK's server is first used.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final String scheme;
    private final Clock clock;
    /** Counted down by {@link #close()} so delayed answers end at once. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Check name to its result; insertion order is the order of {@code GET /result}. */
    private final Map<String, CheckState> checks = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, AtomicInteger> resultRequests = new ConcurrentHashMap<>();
    /** How many {@code GET /result} answers listed each check. */
    private final Map<String, AtomicInteger> listedReads = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Duration delay = Duration.ZERO;
    private volatile CannedAnswer override;
    private volatile String expectedAuthorization;

    private FakeCabourotte(HttpServer server, String scheme, Clock clock) {
        this.server = server;
        this.scheme = scheme;
        this.clock = clock;
        // One thread per request, so a delayed answer does not hold up the others.
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fake-cabourotte");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake on an ephemeral port of 127.0.0.1, serving plain HTTP. */
    public static FakeCabourotte start() {
        return start(0);
    }

    /** Starts a fake on {@code port} of 127.0.0.1 (0 for an ephemeral port), serving plain HTTP. */
    public static FakeCabourotte start(int port) {
        try {
            return new FakeCabourotte(HttpServer.create(loopback(port), 0), "http", Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake Cabourotte on 127.0.0.1:" + port, e);
        }
    }

    /**
     * Starts a fake on an ephemeral port of 127.0.0.1, serving HTTPS with {@code tls} (whose key
     * must be valid for the IP address 127.0.0.1, as {@link SelfSignedCertificate}'s is).
     */
    public static FakeCabourotte startHttps(SSLContext tls) {
        try {
            HttpsServer server = HttpsServer.create(loopback(0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            return new FakeCabourotte(server, "https", Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake Cabourotte with https on 127.0.0.1", e);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}: what anycastd's {@code url} option takes. */
    public URI url() {
        return URI.create(scheme + "://127.0.0.1:" + port());
    }

    /** The port the fake listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Makes check {@code name} pass (message {@code success}), creating it if needed. Its
     * timestamp follows the clock (as a check Cabourotte keeps running) unless pinned with
     * {@link #lastRunAt}.
     */
    public FakeCabourotte healthy(String name) {
        return put(name, true, "success");
    }

    /** Makes check {@code name} fail with {@code message}, creating it if needed. */
    public FakeCabourotte failing(String name, String message) {
        return put(name, false, Objects.requireNonNull(message, "message"));
    }

    /**
     * Pins the {@code healthcheck-timestamp} of an existing check, as when Cabourotte stopped
     * running it at {@code at}; {@link #healthy} or {@link #failing} unpin it.
     *
     * @throws IllegalArgumentException if there is no such check
     */
    public FakeCabourotte lastRunAt(String name, Instant at) {
        Objects.requireNonNull(at, "at");
        synchronized (checks) {
            CheckState state = checks.get(name);
            if (state == null) {
                throw new IllegalArgumentException("the fake Cabourotte has no check \"" + name + "\"");
            }
            checks.put(name, new CheckState(state.success(), state.message(), at));
        }
        return this;
    }

    /** Removes check {@code name}: its result is then a 404, as for a check Cabourotte never had. */
    public FakeCabourotte delete(String name) {
        checks.remove(name);
        return this;
    }

    /**
     * Delays every answer by {@code delay} ({@link Duration#ZERO} for none). A delay longer than
     * the client's timeout makes the server hang; {@link #close()} ends delayed answers at once.
     */
    public FakeCabourotte delayAnswers(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
        this.delay = delay;
        return this;
    }

    /**
     * Answers every {@code GET /result...} request with {@code status} and {@code body}
     * (served as JSON) instead of the checks' results, until {@link #answerNormally()}: for a
     * 500, a body that is not JSON, or a body too large.
     */
    public FakeCabourotte answerWith(int status, String body) {
        return answerWith(status, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Like {@link #answerWith(int, String)} with raw bytes. */
    public FakeCabourotte answerWith(int status, byte[] body) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        this.override = new CannedAnswer(status, body.clone());
        return this;
    }

    /** Answers a 500 with an error body shaped like Cabourotte's, until {@link #answerNormally()}. */
    public FakeCabourotte answerServerError() {
        return answerWith(500, "{\"messages\":[\"Internal Server Error\"]}");
    }

    /** Ends {@link #answerWith}: the checks' results are served again. */
    public FakeCabourotte answerNormally() {
        this.override = null;
        return this;
    }

    /**
     * Answers 401 to every request that does not carry these HTTP basic credentials
     * ({@code null} to stop requiring them).
     */
    public FakeCabourotte requireBasicAuth(String username, String password) {
        this.expectedAuthorization = username == null ? null : "Basic " + java.util.Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** How many {@code GET /result/{name}} requests asked for check {@code name} (decoded), whatever the answer. */
    public int requestCount(String name) {
        AtomicInteger count = resultRequests.get(name);
        return count == null ? 0 : count.get();
    }

    /**
     * How many times check {@code name}'s result was read: the {@code GET /result/{name}} requests
     * ({@link #requestCount}) plus the {@code GET /result} answers that listed it. What a test
     * waits for when it means "the daemon has read this check N times", however the daemon reads.
     */
    public int readCount(String name) {
        AtomicInteger listed = listedReads.get(name);
        return requestCount(name) + (listed == null ? 0 : listed.get());
    }

    /** Every request received so far, oldest first. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The body {@code GET /result/{name}} serves now, if there is such a check. */
    public Optional<String> resultBody(String name) {
        CheckState state = checks.get(name);
        return state == null ? Optional.empty() : Optional.of(render(name, state));
    }

    /**
     * The body Cabourotte's HTTP exporter would {@code POST} after a run of check {@code name}
     * with this outcome: a JSON array of one result, like {@code exporter-push-*.json}.
     */
    public static String exporterPushBody(String name, boolean success, String message, Instant ranAt) {
        return "[" + render(name, new CheckState(success, message, ranAt), ranAt) + "]";
    }

    /** Stops the server and ends delayed answers. Safe to call more than once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    /**
     * Runs a fake Cabourotte until the process is killed, for labs and demos.
     *
     * <p>Arguments: {@code --port=N} (default 9013; 0 for any free port), then checks:
     * {@code NAME} or {@code NAME=healthy} for a passing check, {@code NAME=failing} or
     * {@code NAME=failing:MESSAGE} for a failing one. While it runs, {@code POST /fake/healthy/NAME},
     * {@code POST /fake/failing/NAME} (the body is the message) and {@code POST /fake/delete/NAME}
     * change a check, e.g. with {@code curl -X POST}. Prints its URL on standard output.
     */
    public static void main(String[] args) throws InterruptedException {
        FakeCabourotte fake = startFromArguments(args);
        Runtime.getRuntime().addShutdownHook(new Thread(fake::close, "fake-cabourotte-stop"));
        System.out.println("Fake Cabourotte listening on " + fake.url());
        System.out.flush();
        fake.closing.await();
    }

    /** What {@link #main} runs, without waiting: the fake with its control endpoints and checks. */
    static FakeCabourotte startFromArguments(String... args) {
        int port = 9013;
        List<String> specs = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            } else if (arg.startsWith("-")) {
                throw new IllegalArgumentException("unknown option " + arg
                        + "; usage: FakeCabourotte [--port=N] [NAME[=healthy|=failing[:MESSAGE]]]...");
            } else {
                specs.add(arg);
            }
        }
        FakeCabourotte fake = start(port);
        fake.server.createContext("/fake/", fake::control);
        for (String spec : specs) {
            int equals = spec.indexOf('=');
            String name = equals < 0 ? spec : spec.substring(0, equals);
            String state = equals < 0 ? "healthy" : spec.substring(equals + 1);
            if (state.equals("healthy")) {
                fake.healthy(name);
            } else if (state.equals("failing") || state.startsWith("failing:")) {
                fake.failing(name, state.equals("failing") ? "failing" : state.substring("failing:".length()));
            } else {
                fake.close();
                throw new IllegalArgumentException("\"" + spec + "\": expected NAME, NAME=healthy, NAME=failing or NAME=failing:MESSAGE");
            }
        }
        return fake;
    }

    /**
     * One request the fake received.
     *
     * @param method the HTTP method
     * @param rawPath the path as sent, percent-encoding kept
     * @param headers the request headers, names compared without regard to case
     */
    public record Request(String method, String rawPath, Map<String, List<String>> headers) {
        /** Copies the headers into a case-insensitive, unmodifiable map. */
        public Request {
            Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((key, values) -> copy.put(key, List.copyOf(values)));
            headers = Collections.unmodifiableMap(copy);
        }

        /** The first value of header {@code name}, if sent. */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }
    }

    private record CheckState(boolean success, String message, Instant pinnedRun) {
    }

    private record CannedAnswer(int status, byte[] body) {
    }

    private FakeCabourotte put(String name, boolean success, String message) {
        Objects.requireNonNull(name, "name");
        checks.put(name, new CheckState(success, message, null));
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            drain(exchange.getRequestBody());
            String rawPath = exchange.getRequestURI().getRawPath();
            requests.add(new Request(exchange.getRequestMethod(), rawPath, exchange.getRequestHeaders()));
            String name = rawPath.startsWith("/result/") ? decode(rawPath.substring("/result/".length())) : null;
            if (name != null) {
                resultRequests.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
            }
            if (!delay.isZero() && closing.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
            String authorization = expectedAuthorization;
            if (authorization != null && !authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Restricted\"");
                send(exchange, 401, "{\"message\":\"Unauthorized\"}");
                return;
            }
            if (!rawPath.equals("/result") && name == null) {
                send(exchange, 404, "{\"message\":\"Not Found\"}");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, "{\"message\":\"Method Not Allowed\"}");
                return;
            }
            CannedAnswer canned = override;
            if (canned != null) {
                send(exchange, canned.status(), canned.body());
            } else if (name == null) {
                send(exchange, 200, renderAll());
            } else {
                CheckState state = checks.get(name);
                if (state == null) {
                    send(exchange, 404, "{\"messages\":[\"Result not found for healthcheck " + escape(name) + "\"]}");
                } else {
                    send(exchange, 200, render(name, state));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    /** The lab's control endpoints; only {@link #main} installs them. */
    private void control(HttpExchange exchange) throws IOException {
        try {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).strip();
            String[] parts = exchange.getRequestURI().getRawPath().split("/", 4);
            if (!exchange.getRequestMethod().equals("POST") || parts.length != 4 || parts[3].isEmpty()) {
                send(exchange, 404, "{\"message\":\"use POST /fake/healthy/NAME, /fake/failing/NAME or /fake/delete/NAME\"}");
                return;
            }
            String name = decode(parts[3]);
            switch (parts[2]) {
                case "healthy" -> healthy(name);
                case "failing" -> failing(name, body.isEmpty() ? "failing" : body);
                case "delete" -> delete(name);
                default -> {
                    send(exchange, 404, "{\"message\":\"unknown action " + escape(parts[2]) + "\"}");
                    return;
                }
            }
            send(exchange, 200, "{\"message\":\"ok\"}");
        } finally {
            exchange.close();
        }
    }

    private String renderAll() {
        List<String> results = new ArrayList<>();
        synchronized (checks) {
            checks.forEach((name, state) -> {
                results.add(render(name, state));
                listedReads.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
            });
        }
        return "[" + String.join(",", results) + "]";
    }

    private String render(String name, CheckState state) {
        return render(name, state, clock.instant());
    }

    /** A result in Cabourotte v1.12's field order, with a float duration in seconds. */
    private static String render(String name, CheckState state, Instant now) {
        Instant ranAt = state.pinnedRun() != null ? state.pinnedRun() : now;
        return "{\"name\":\"" + escape(name) + "\""
                + ",\"summary\":\"fake check\""
                + ",\"success\":" + state.success()
                + ",\"healthcheck-timestamp\":" + ranAt.getEpochSecond()
                + ",\"message\":\"" + escape(state.message()) + "\""
                + ",\"duration\":0.001504515"
                + ",\"source\":\"configuration\"}";
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", JSON);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void drain(InputStream body) throws IOException {
        body.transferTo(OutputStream.nullOutputStream());
    }

    private static String decode(String segment) {
        return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** JSON string escaping, as Go's encoder writes it (it also escapes {@code <}, {@code >} and {@code &}). */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }
}
