package dev.anycastd.cabourotte;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.spi.PushOutcome;
import dev.anycastd.core.spi.PushRequestListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Receives the results Cabourotte's HTTP exporter {@code POST}s to one loopback address, and
 * hands each to the checks subscribed to its name at the request's path.
 *
 * <p>Paths ({@link Route}s) are declared when checks are configured; the socket is opened
 * when the first check subscribes and closed when the last one unsubscribes. A request is
 * accepted (204) only when it is a {@code POST} to a declared path, carries that path's secret
 * (if it has one) as {@code Authorization: Bearer SECRET}, is {@code application/json}, is at
 * most {@link #MAX_BODY_BYTES} and is a JSON array of valid results; anything else is answered
 * with a 4xx and a one-line reason, and nothing of it is delivered. Path, method, secret and
 * type are judged from the request's head, before any of its body is read. Results of names no
 * check subscribed to are ignored, each name logged once.
 *
 * <p>The socket is served by a {@link BoundedHttpServer} with {@link #LIMITS}: a request must
 * arrive within {@link #REQUEST_DEADLINE}, and a client address may hold at most
 * {@link #CONNECTIONS_PER_ADDRESS} connections, so slow or idle clients cannot keep a push
 * from being answered. Rejections and failures, which any local process can cause as fast as
 * it sends requests, are logged through a {@link ThrottledLog}.
 *
 * <p>Thread-safe: requests are read by the server's thread and delivered on its handling
 * thread; subscribing, unsubscribing and (re)opening the socket are guarded by {@code this}.
 */
final class PushReceiver {

    /** Bodies past this size are refused: Cabourotte pushes one result of a few hundred bytes. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** After a failure to open the socket, it is tried again at most this often, from {@link #ensureListening()}. */
    static final Duration REOPEN_INTERVAL = Duration.ofSeconds(5);

    /** Unknown names logged per receiver; past that, one more line says the rest are not. */
    static final int MAX_LOGGED_UNKNOWN_NAMES = 1000;

    /** A repeating rejection or failure is logged when it starts, then at most this often, and when it ended. */
    static final Duration LOG_WINDOW = Duration.ofSeconds(30);

    /**
     * A request's head and body must have arrived this long after its first byte (after the
     * connection opened, for its first request). Cabourotte sends a push in one write; a client
     * that trickles bytes is cut here, whatever its pace.
     */
    static final Duration REQUEST_DEADLINE = Duration.ofSeconds(2);

    /** A kept-alive connection with no request for this long is closed; Cabourotte opens another when it next pushes. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Connections one client address may hold; a new one past it closes the slowest that is not
     * being answered. Cabourotte pushes one result at a time, on one connection; the rest is room
     * for a client that pushes several at once.
     */
    static final int CONNECTIONS_PER_ADDRESS = 16;

    /** Connections all clients may hold together, for clients that use many loopback addresses. */
    static final int CONNECTIONS = 64;

    /** Request heads past this size are refused: Cabourotte's is about 200 bytes. */
    static final int MAX_HEAD_BYTES = 8 * 1024;

    /** Complete pushes that may wait for the delivering thread; past that they are answered 503, and the checks' polls go on. */
    static final int WAITING_PUSHES = 64;

    static final BoundedHttpServer.Limits LIMITS = new BoundedHttpServer.Limits(REQUEST_DEADLINE, IDLE_TIMEOUT,
            CONNECTIONS_PER_ADDRESS, CONNECTIONS, MAX_HEAD_BYTES, MAX_BODY_BYTES, WAITING_PUSHES);

    private static final Logger log = LoggerFactory.getLogger(PushReceiver.class);

    /**
     * A shared secret, kept only as its SHA-256 digest: comparing digests takes the same time
     * whatever the presented value, its length included. {@link #toString()} shows nothing.
     */
    static final class Secret {
        private final byte[] digest;

        private Secret(byte[] digest) {
            this.digest = digest;
        }

        /** The secret {@code value}, which must be non-empty text. */
        static Secret of(String value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("a secret must not be empty");
            }
            return new Secret(sha256(value));
        }

        /** Whether {@code presented} is this secret. */
        boolean matches(String presented) {
            return MessageDigest.isEqual(digest, sha256(presented));
        }

        /** Whether {@code a} and {@code b} are the same secret, or both absent. */
        static boolean same(Secret a, Secret b) {
            return a == null || b == null ? a == b : MessageDigest.isEqual(a.digest, b.digest);
        }

        @Override
        public String toString() {
            return "Secret[(hidden)]";
        }

        private static byte[] sha256(String text) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }
    }

    /** Thrown by {@link #declare} when a path is declared again with another secret. */
    static final class ConflictException extends Exception {
        private static final long serialVersionUID = 1L;

        ConflictException(String message) {
            super(message);
        }
    }

    /** One declared path: its secret ({@code null} for none) and the checks subscribed by name. */
    private static final class Route {
        final Secret secret;
        final Map<String, List<Consumer<CabourotteResult>>> subscribers = new ConcurrentHashMap<>();

        Route(Secret secret) {
            this.secret = secret;
        }
    }

    /** A check's subscription; {@link #close()} ends it and is safe to call more than once. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final InetSocketAddress listen;
    private final Duration reopenInterval;
    private final BoundedHttpServer.Limits limits;
    /** The port bound while listening (differs from the configured one only for port 0), else 0. */
    private volatile int boundPort;
    /** Declared paths; never removed, so a check configured again finds its route. */
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Set<String> unknownNamesLogged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean unknownNamesCapLogged = new AtomicBoolean();
    /** Rejections and failures, which any local process can repeat as fast as it can send requests. */
    private final ThrottledLog problems;
    private final PushRequestListener requests;

    /** Guarded by {@code this}. */
    private BoundedHttpServer server;
    private int subscriptions;
    private boolean openFailing;
    private long nextOpenAttempt;

    /** A receiver for {@code listen}, closed until its first subscription, that tells nobody of its requests. */
    PushReceiver(InetSocketAddress listen) {
        this(listen, PushRequestListener.NONE);
    }

    /** @param requests told the outcome of every request answered */
    PushReceiver(InetSocketAddress listen, PushRequestListener requests) {
        this(listen, REOPEN_INTERVAL, LIMITS, Clock.systemUTC(), requests);
    }

    /** @param clock when problems happen, for {@link #LOG_WINDOW} */
    PushReceiver(InetSocketAddress listen, Duration reopenInterval, BoundedHttpServer.Limits limits, Clock clock) {
        this(listen, reopenInterval, limits, clock, PushRequestListener.NONE);
    }

    /**
     * @param clock when problems happen, for {@link #LOG_WINDOW}
     * @param requests told the outcome of every request answered
     */
    PushReceiver(InetSocketAddress listen, Duration reopenInterval, BoundedHttpServer.Limits limits, Clock clock,
            PushRequestListener requests) {
        this.listen = Objects.requireNonNull(listen, "listen");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.reopenInterval = Objects.requireNonNull(reopenInterval, "reopenInterval");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.problems = new ThrottledLog(log::atLevel, LOG_WINDOW, clock);
    }

    /** The address this receiver listens on, as configured. */
    InetSocketAddress listen() {
        return listen;
    }

    /** Where Cabourotte's exporter must post for {@code path}, for messages. */
    String urlOf(String path) {
        // IpPrefix writes an address in its canonical form, ::1 rather than 0:0:0:0:0:0:0:1.
        String canonical = IpPrefix.of(listen.getAddress(), listen.getAddress().getAddress().length * 8).toString();
        String host = canonical.substring(0, canonical.indexOf('/'));
        int port = boundPort > 0 ? boundPort : listen.getPort();
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + path;
    }

    /**
     * Declares {@code path} with {@code secret} ({@code null} for none). Declaring it again
     * with the same secret does nothing.
     *
     * @throws ConflictException if the path was declared with another secret, or with none
     *     where this has one (or the reverse)
     */
    void declare(String path, Secret secret) throws ConflictException {
        Route route = routes.computeIfAbsent(path, key -> new Route(secret));
        if (!Secret.same(route.secret, secret)) {
            throw new ConflictException(route.secret == null
                    ? "another check receives pushes at " + urlOf(path) + " without a secret"
                    : secret == null ? "another check receives pushes at " + urlOf(path) + " with a secret"
                    : "another check receives pushes at " + urlOf(path) + " with another secret");
        }
    }

    /**
     * Delivers every result named {@code name} posted to {@code path} to {@code consumer}, on a
     * thread of the receiver's, until the subscription is closed. Opens the socket if this is
     * the first subscription; if it cannot be opened, logs that and leaves it to
     * {@link #ensureListening()} to try again.
     *
     * @throws IllegalArgumentException if {@code path} was not {@link #declare declared}
     */
    Subscription subscribe(String path, String name, Consumer<CabourotteResult> consumer) {
        Route route = routes.get(path);
        if (route == null) {
            throw new IllegalArgumentException("path \"" + path + "\" was not declared");
        }
        Objects.requireNonNull(consumer, "consumer");
        synchronized (this) {
            route.subscribers.computeIfAbsent(name, key -> new CopyOnWriteArrayList<>()).add(consumer);
            if (subscriptions++ == 0) {
                open();
            }
        }
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                unsubscribe(route, name, consumer);
            }
        };
    }

    /**
     * Opens the socket again if it is wanted and opening it failed before, at most once per
     * {@link #REOPEN_INTERVAL}; checks call this at every poll, so a port that was busy
     * at start-up is taken once it is free. Also logs the end of rejections that stopped, if no
     * request came since.
     */
    void ensureListening() {
        problems.sweep();
        synchronized (this) {
            if (server == null && subscriptions > 0 && System.nanoTime() - nextOpenAttempt >= 0) {
                open();
            }
        }
    }

    /** Whether the socket is open. */
    synchronized boolean listening() {
        return server != null;
    }

    /** The port the socket is bound to (the configured one, or the one chosen for port 0), or -1 when closed. */
    synchronized int port() {
        return server == null ? -1 : boundPort;
    }

    private void unsubscribe(Route route, String name, Consumer<CabourotteResult> consumer) {
        synchronized (this) {
            route.subscribers.computeIfPresent(name, (key, consumers) -> {
                consumers.remove(consumer);
                return consumers.isEmpty() ? null : consumers;
            });
            if (--subscriptions == 0) {
                close();
            }
        }
    }

    /** Guarded by {@code this}. */
    private void open() {
        BoundedHttpServer created;
        try {
            created = BoundedHttpServer.open(listen, limits, new Handler(), "anycastd-cabourotte-push");
        } catch (IOException e) {
            nextOpenAttempt = System.nanoTime() + reopenInterval.toNanos();
            if (!openFailing) {
                openFailing = true;
                log.atError().addKeyValue("listen", urlOf("")).addKeyValue("error", e.toString())
                        .log("Cannot listen for Cabourotte's pushes on {}: {}; the checks are polled meanwhile, and "
                                + "listening is tried again every {} ms.", urlOf(""), e.getMessage(),
                                reopenInterval.toMillis());
            }
            return;
        }
        server = created;
        boundPort = created.port();
        openFailing = false;
        log.atInfo().addKeyValue("listen", urlOf("")).addKeyValue("paths", routes.keySet().stream().sorted().toList())
                .log("Listening for Cabourotte's pushes on {}.", urlOf(""));
    }

    /** Guarded by {@code this}. */
    private void close() {
        openFailing = false;
        if (server == null) {
            return;
        }
        server.close();
        server = null;
        boundPort = 0;
        log.atInfo().addKeyValue("listen", urlOf("")).log("Stopped listening for Cabourotte's pushes on {}.", urlOf(""));
    }

    /** What the server asks of the receiver: the judgement of each request, and the log of what it refused. */
    private final class Handler implements BoundedHttpServer.Handler {
        @Override
        public HttpAnswer head(RequestHead head) {
            HttpAnswer refusal = judge(head);
            if (refusal != null) {
                record(head, refusal);
            }
            return refusal;
        }

        @Override
        public HttpAnswer request(RequestHead head, byte[] body) {
            HttpAnswer answer;
            try {
                answer = deliver(routes.get(head.path()), body);
            } catch (RuntimeException e) {
                deliveryFailed(e);
                requests.answered(PushOutcome.FAILED);
                return HttpAnswer.refusal(500, "failed", "delivering the results failed: " + e);
            }
            record(head, answer);
            return answer;
        }

        @Override
        public void refused(RequestHead head, InetAddress client, HttpAnswer answer) {
            record(head, answer);
        }

        @Override
        public void dropped(InetAddress client, String kind, String reason) {
            String address = client == null ? "" : client.getHostAddress();
            Map<String, Object> keyValues = new LinkedHashMap<>();
            keyValues.put("listen", urlOf(""));
            keyValues.put("dropped", kind);
            keyValues.put("client", address);
            problems.occurred(new ThrottledLog.Problem("dropped " + kind, Level.WARN, "Closed a connection to " + urlOf("")
                    + (client == null ? "" : " from " + address) + " without an answer: " + reason + ".", keyValues, null,
                    total -> "Connections to " + urlOf("") + " are no longer closed without an answer (" + kind + "), after "
                            + total + " connections."));
        }

        @Override
        public void failed(Exception cause) {
            log.atError().setCause(cause).addKeyValue("listen", urlOf(""))
                    .log("Receiving Cabourotte's pushes on {} failed, and stopped: {}; the checks are polled meanwhile.", urlOf(""),
                            cause.toString());
        }
    }

    /** The refusal of a request, judged from its head alone; or {@code null} to read its body. */
    private HttpAnswer judge(RequestHead head) {
        String path = head.path();
        Route route = routes.get(path);
        if (route == null) {
            return HttpAnswer.refusal(404, "path", "nothing is received at " + RequestReader.printable(path)
                    + "; set the exporter's path to the push-path of anycastd's checks");
        }
        if (!head.method().equals("POST")) {
            return HttpAnswer.refusal(405, "method", "method " + RequestReader.printable(head.method())
                    + " is not allowed; Cabourotte's exporter POSTs results").with("Allow", "POST");
        }
        if (route.secret != null) {
            String authorization = head.first("Authorization");
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return HttpAnswer.refusal(401, "secret", "the secret is missing; send it as the header \"Authorization: Bearer SECRET\"")
                        .with("WWW-Authenticate", "Bearer");
            }
            if (!route.secret.matches(authorization.substring(7).strip())) {
                return HttpAnswer.refusal(401, "secret", "the secret is wrong; send push-secret as \"Authorization: Bearer SECRET\"")
                        .with("WWW-Authenticate", "Bearer");
            }
        }
        String type = head.first("Content-Type");
        if (type == null || !type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT).equals("application/json")) {
            return HttpAnswer.refusal(415, "content_type", "the body must be application/json, got "
                    + (type == null ? "no Content-Type" : RequestReader.printable(type)));
        }
        return null;
    }

    /** Delivers every result of {@code body}, or none if it is not an array of valid results. */
    private HttpAnswer deliver(Route route, byte[] body) {
        List<CabourotteResult> results;
        try {
            results = CabourotteResult.parseList(body);
        } catch (CabourotteResult.MalformedException e) {
            return HttpAnswer.refusal(400, "body", "the body is not an array of Cabourotte results: "
                    + RequestReader.printable(e.getMessage()));
        }
        for (CabourotteResult result : results) {
            deliver(route, result);
        }
        return HttpAnswer.ACCEPTED;
    }

    private void deliver(Route route, CabourotteResult result) {
        List<Consumer<CabourotteResult>> consumers = route.subscribers.get(result.name());
        if (consumers == null) {
            logUnknown(result.name());
            return;
        }
        for (Consumer<CabourotteResult> consumer : consumers) {
            consumer.accept(result);
        }
    }

    /** Once per name: Cabourotte pushes every check's results, also those no service here uses. */
    private void logUnknown(String name) {
        if (unknownNamesLogged.contains(name)) {
            return;
        }
        if (unknownNamesLogged.size() >= MAX_LOGGED_UNKNOWN_NAMES) {
            if (unknownNamesCapLogged.compareAndSet(false, true)) {
                log.atInfo().addKeyValue("listen", urlOf("")).addKeyValue("names", MAX_LOGGED_UNKNOWN_NAMES)
                        .log("Cabourotte pushed results of more than {} checks no service uses; no longer logging their names.",
                                MAX_LOGGED_UNKNOWN_NAMES);
            }
            return;
        }
        if (unknownNamesLogged.add(name)) {
            log.atInfo().addKeyValue("check", RequestReader.printable(name)).addKeyValue("listen", urlOf(""))
                    .log("Ignoring pushed results of Cabourotte check \"{}\": no service uses it.", RequestReader.printable(name));
        }
    }

    private void deliveryFailed(RuntimeException e) {
        problems.occurred(new ThrottledLog.Problem("500 failed", Level.ERROR, "Delivering a push from Cabourotte to " + urlOf("")
                + " failed: " + e, Map.of("listen", urlOf("")), e,
                total -> "Delivering pushes to " + urlOf("") + " works again, after " + total + " failures."));
    }

    /**
     * Logs a refusal through {@link #problems}; an accepted push is a moment to notice that refusals ended.
     *
     * @param head the request's head, or {@code null} if it was not read
     */
    private void record(RequestHead head, HttpAnswer answer) {
        requests.answered(outcome(answer));
        if (answer.reason() == null) {
            problems.sweep();
            return;
        }
        String rejection = answer.status() + " " + answer.kind();
        Map<String, Object> keyValues = new LinkedHashMap<>();
        keyValues.put("listen", urlOf(""));
        keyValues.put("rejection", rejection);
        keyValues.put("status", answer.status());
        keyValues.put("path", head == null ? "" : RequestReader.printable(head.path()));
        keyValues.put("reason", answer.reason());
        problems.occurred(new ThrottledLog.Problem(rejection, Level.WARN, "Rejecting pushes to " + urlOf("") + " with HTTP "
                + answer.status() + ": " + answer.reason(), keyValues, null,
                total -> "Pushes to " + urlOf("") + " are no longer rejected with " + rejection + ", after " + total + " requests."));
    }

    /** What {@code answer} says of its request, for counting: its {@link HttpAnswer#kind()}, mapped onto the closed set. */
    static PushOutcome outcome(HttpAnswer answer) {
        return switch (answer.kind()) {
            case "accepted" -> PushOutcome.ACCEPTED;
            case "secret" -> PushOutcome.UNAUTHORIZED;
            case "path" -> PushOutcome.UNKNOWN_PATH;
            case "method" -> PushOutcome.METHOD_NOT_ALLOWED;
            case "content_type" -> PushOutcome.UNSUPPORTED_TYPE;
            case "body" -> PushOutcome.BAD_BODY;
            case "size", "head_size" -> PushOutcome.TOO_LARGE;
            case "deadline" -> PushOutcome.TIMED_OUT;
            case "busy" -> PushOutcome.BUSY;
            case "failed" -> PushOutcome.FAILED;
            // framing, length, transfer_encoding, version, request: what RequestReader refuses as not valid HTTP.
            default -> PushOutcome.MALFORMED;
        };
    }

    @Override
    public String toString() {
        return "PushReceiver[" + urlOf("") + "]";
    }

    /** For tests: how many checks are subscribed. */
    synchronized int subscriptions() {
        return subscriptions;
    }
}
