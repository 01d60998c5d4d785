package dev.anycastd.cabourotte;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.anycastd.testkit.cabourotte.CabourotteFixtures;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;

/**
 * Prints how fast {@link PushReceiver} answers over loopback, for the figures of
 * docs/CABOUROTTE-PUSH.md and issue #13: the time to answer each status, how much slow clients
 * delay a push, how many log lines a stream of rejections writes, and how many pushes a second
 * are answered. It prints figures and asserts nothing; it is not a test, and the build never runs
 * it. Run it from the repository's root with:
 *
 * <pre>
 * ./mvnw -B -q -o -pl anycastd-cabourotte -am test-compile \
 *     org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
 *     -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
 * java -cp anycastd-cabourotte/target/test-classes:anycastd-cabourotte/target/classes:$(cat anycastd-cabourotte/target/bench-classpath.txt) \
 *     dev.anycastd.cabourotte.PushReceiverBenchmark
 * </pre>
 *
 * <p>Requests are sent by a minimal client on plain sockets, as Cabourotte's exporter sends them
 * (one request at a time, 3 s to answer), so that the figures are the receiver's and not an HTTP
 * client library's; the answer times are also taken with {@link HttpClient}, whose reads meet a
 * server's answers in two writes (head, then body, without {@code TCP_NODELAY}) with delayed
 * acknowledgements. It uses only the receiver's constructor, {@code declare}, {@code subscribe}
 * and {@code port}, so the same source also measures earlier versions of the receiver.
 */
final class PushReceiverBenchmark {

    private static final String PATH = "/anycastd/cabourotte";
    private static final String SECRET = "benchmark-secret";
    /** Cabourotte's exporter waits this long for an answer. */
    private static final Duration CABOUROTTE_TIMEOUT = Duration.ofSeconds(3);

    private final PrintStream out;
    /**
     * What a real Cabourotte posts. Not the testkit's {@code FakeCabourotte}: loading that class
     * sets {@code sun.net.httpserver.nodelay} for the whole JVM, which would hide from this
     * benchmark the delayed answers of a receiver built on the JDK's HTTP server.
     */
    private final String push = CabourotteFixtures.read(CabourotteFixtures.EXPORTER_PUSH_SUCCESS);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong logLines = new AtomicLong();
    private PushReceiver receiver;
    private PushReceiver.Subscription subscription;

    private PushReceiverBenchmark(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        PushReceiverBenchmark benchmark = new PushReceiverBenchmark(System.out);
        benchmark.countLogLines();
        benchmark.out.printf("Java %s, %d CPUs; a fresh receiver on 127.0.0.1 for each part%n%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        benchmark.answerTimesWithHttpClient();
        benchmark.answerTimes();
        benchmark.rejectionLogLines();
        benchmark.pushesBesideSlowClients();
        benchmark.sustainedRate();
    }

    private void open() throws Exception {
        receiver = new PushReceiver(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        receiver.declare(PATH, PushReceiver.Secret.of(SECRET));
        subscription = receiver.subscribe(PATH, "dns", result -> delivered.incrementAndGet());
    }

    private void close() {
        subscription.close();
    }

    /** The receiver's own lines go to a counter instead of the console. */
    private void countLogLines() {
        Logger logger = (Logger) LoggerFactory.getLogger(PushReceiver.class);
        logger.setAdditive(false);
        AppenderBase<ILoggingEvent> counter = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                logLines.incrementAndGet();
            }
        };
        counter.setContext(logger.getLoggerContext());
        counter.start();
        logger.addAppender(counter);
    }

    private void answerTimes() throws Exception {
        open();
        try {
            out.println("Time to answer, by status: one request at a time, 500 of warm-up, then 2000; from sending the request to");
            out.println("reading the whole answer. A client like Cabourotte's reuses its connection unless the answer closes it");
            out.println("(connecting again is then part of the next request's time); the other opens a new connection each time.");
            printHeader("request");
            List<Object[]> cases = List.of(
                    new Object[] {"204 accepted", request("POST", PATH, push, "Bearer " + SECRET), 204},
                    new Object[] {"401 wrong secret", request("POST", PATH, push, "Bearer wrong"), 401},
                    new Object[] {"404 another path", request("POST", "/elsewhere", push, null), 404},
                    new Object[] {"405 GET", request("GET", PATH, null, null), 405},
                    new Object[] {"400 not JSON", request("POST", PATH, "not json", "Bearer " + SECRET), 400});
            for (Object[] one : cases) {
                timeReusing(one[0] + ", reusing the connection", (byte[]) one[1], (Integer) one[2]);
            }
            for (Object[] one : cases) {
                timeNewConnection(one[0] + ", new connection each", (byte[]) one[1], (Integer) one[2]);
            }
            out.println();
        } finally {
            close();
        }
    }

    private void answerTimesWithHttpClient() throws Exception {
        open();
        try {
            out.println("Time to answer, by status, with java.net.http.HttpClient (HTTP/1.1, its own connection pool), one request");
            out.println("at a time, 100 of warm-up, then 300:");
            printHeader("request");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            timeHttpClient("204 accepted", http, post(PATH, push, "Bearer " + SECRET), 204);
            timeHttpClient("401 wrong secret", http, post(PATH, push, "Bearer wrong"), 401);
            timeHttpClient("404 another path", http, post("/elsewhere", push, null), 404);
            timeHttpClient("405 GET", http, HttpRequest.newBuilder(uri(PATH)).GET().build(), 405);
            timeHttpClient("400 not JSON", http, post(PATH, "not json", "Bearer " + SECRET), 400);
            out.println();
        } finally {
            close();
        }
    }

    private void timeReusing(String what, byte[] request, int status) throws IOException {
        Client client = new Client(receiver.port());
        long[] nanos = new long[2500];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            if (client.closed()) {
                client = new Client(receiver.port());
            }
            expect(what, client.exchange(request), status);
            nanos[i] = System.nanoTime() - start;
        }
        client.close();
        printRow(what, Arrays.copyOfRange(nanos, 500, nanos.length), "");
    }

    private void timeHttpClient(String what, HttpClient http, HttpRequest request, int status) throws Exception {
        long[] nanos = new long[400];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            expect(what, http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode(), status);
            nanos[i] = System.nanoTime() - start;
        }
        printRow(what, Arrays.copyOfRange(nanos, 100, nanos.length), "");
    }

    private HttpRequest post(String path, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(CABOUROTTE_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + receiver.port() + path);
    }

    private void timeNewConnection(String what, byte[] request, int status) throws IOException {
        long[] nanos = new long[2500];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            try (Client client = new Client(receiver.port())) {
                expect(what, client.exchange(request), status);
            }
            nanos[i] = System.nanoTime() - start;
        }
        printRow(what, Arrays.copyOfRange(nanos, 500, nanos.length), "");
    }

    private void rejectionLogLines() throws Exception {
        open();
        try {
            long before = logLines.get();
            long requests = 0;
            byte[] elsewhere = request("POST", "/elsewhere", push, null);
            byte[] get = request("GET", PATH, null, null);
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() - end < 0) {
                for (byte[] request : List.of(elsewhere, get)) {
                    try (Client client = new Client(receiver.port())) {
                        client.exchange(request);
                    }
                    requests++;
                }
            }
            out.printf("Alternating 404 and 405 for 10 s, without the secret, a new connection each: %d requests answered,"
                    + " %d log lines written%n%n", requests, logLines.get() - before);
        } finally {
            close();
        }
    }

    private void pushesBesideSlowClients() throws Exception {
        out.println("Pushes beside slow clients: 500 pushes with the secret, one at a time on a kept-alive connection, each");
        out.println("given Cabourotte's 3 s; the slow clients connect first and send a byte every 100 ms, reconnecting when cut");
        printHeader("slow clients");
        pushesBeside("none", 0, false);
        pushesBeside("2 trickling a header", 2, false);
        pushesBeside("16 trickling a header", 16, false);
        pushesBeside("64 trickling a header", 64, false);
        pushesBeside("2 without the secret, body unsent", 2, true);
        out.println();
    }

    private void pushesBeside(String what, int slowClients, boolean unsentBody) throws Exception {
        open();
        ScheduledExecutorService slow = Executors.newSingleThreadScheduledExecutor();
        List<Socket> sockets = new ArrayList<>();
        Client client = null;
        try {
            for (int i = 0; i < slowClients; i++) {
                sockets.add(slowClient(unsentBody));
            }
            slow.scheduleWithFixedDelay(() -> {
                for (int i = 0; i < sockets.size(); i++) {
                    try {
                        sockets.get(i).getOutputStream().write('x');
                    } catch (IOException e) {
                        try {
                            sockets.get(i).close();
                            sockets.set(i, slowClient(unsentBody));
                        } catch (IOException again) {
                            // Tried again at the next tick.
                        }
                    }
                }
            }, 100, 100, TimeUnit.MILLISECONDS);
            byte[] request = request("POST", PATH, push, "Bearer " + SECRET);
            List<Long> nanos = new ArrayList<>();
            int timedOut = 0;
            int failed = 0;
            for (int i = 0; i < 500 && timedOut < 3; i++) {
                long start = System.nanoTime();
                try {
                    if (client == null) {
                        client = new Client(receiver.port());
                    }
                    int status = client.exchange(request);
                    if (status == 204) {
                        nanos.add(System.nanoTime() - start);
                        continue;
                    }
                    failed++;
                } catch (SocketTimeoutException e) {
                    timedOut++;
                } catch (IOException e) {
                    failed++;
                }
                client.close();
                client = null;
            }
            String outcome = String.format(Locale.ROOT, "  %d timed out%s, %d failed", timedOut, timedOut >= 3 ? " (stopped)" : "",
                    failed);
            if (nanos.isEmpty()) {
                out.printf("  %-40s %8s %8s %8s %8s%s%n", what, "-", "-", "-", "-", outcome);
            } else {
                printRow(what, nanos.stream().mapToLong(Long::longValue).toArray(), outcome);
            }
        } finally {
            slow.shutdownNow();
            slow.awaitTermination(5, TimeUnit.SECONDS);
            for (Socket socket : sockets) {
                socket.close();
            }
            if (client != null) {
                client.close();
            }
            close();
        }
    }

    private Socket slowClient(boolean unsentBody) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), receiver.port());
        OutputStream stream = socket.getOutputStream();
        stream.write((unsentBody
                ? "POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n"
                : "POST " + PATH + " HTTP/1.1\r\nX-Slow: ").getBytes(StandardCharsets.ISO_8859_1));
        return socket;
    }

    private void sustainedRate() throws Exception {
        open();
        try (Client client = new Client(receiver.port())) {
            byte[] request = request("POST", PATH, push, "Bearer " + SECRET);
            for (int i = 0; i < 5000; i++) {
                client.exchange(request);
            }
            long before = delivered.get();
            long start = System.nanoTime();
            long[] nanos = new long[20_000];
            for (int i = 0; i < nanos.length; i++) {
                long sent = System.nanoTime();
                expect("push", client.exchange(request), 204);
                nanos[i] = System.nanoTime() - sent;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf("Pushes one after another on one kept-alive connection, as Cabourotte sends them: %d in %.2f s, %.0f a second,"
                    + " %d delivered%n", nanos.length, seconds, nanos.length / seconds, delivered.get() - before);
            printHeader("");
            printRow("answer time", nanos, "");

            int rate = 1000;
            int total = 5 * rate;
            long[] paced = new long[total];
            long begin = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = begin + i * (1_000_000_000L / rate);
                // Pacing, not waiting for a result: sleeping till the due time leaves both CPUs to the receiver.
                LockSupport.parkNanos(due - System.nanoTime());
                long sent = System.nanoTime();
                expect("push", client.exchange(request), 204);
                paced[i] = System.nanoTime() - sent;
            }
            out.printf("Paced at %d pushes a second for %d s: %d answered 204 in %.2f s%n", rate, total / rate, total,
                    (System.nanoTime() - begin) / 1e9);
            printRow("answer time", paced, "");
        } finally {
            close();
        }
    }

    private static void expect(String what, int status, int expected) {
        if (status != expected) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + status);
        }
    }

    private void printHeader(String what) {
        out.printf("  %-40s %8s %8s %8s %8s%n", what, "p50 ms", "p99 ms", "max ms", "mean ms");
    }

    private void printRow(String what, long[] nanos, String suffix) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        out.printf(Locale.ROOT, "  %-40s %8.3f %8.3f %8.3f %8.3f%s%n", what, ms(sorted[sorted.length / 2]),
                ms(sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)]), ms(sorted[sorted.length - 1]),
                ms((long) Arrays.stream(sorted).average().orElse(0)), suffix);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static byte[] request(String method, String path, String body, String authorization) {
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .append("User-Agent: Go-http-client/1.1\r\n");
        if (authorization != null) {
            request.append("Authorization: ").append(authorization).append("\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            request.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n");
        }
        byte[] head = request.append("Accept-Encoding: gzip\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(head, head.length + bytes.length);
        System.arraycopy(bytes, 0, all, head.length, bytes.length);
        return all;
    }

    /** One connection that sends a request and reads its whole answer, one at a time; 3 s to answer, as Cabourotte. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private boolean closing;

        Client(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true); // as Go's net/http does
            socket.setSoTimeout((int) CABOUROTTE_TIMEOUT.toMillis());
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        /** Sends {@code request} in one write and reads the answer (head, and a body of its Content-Length); its status. */
        int exchange(byte[] request) throws IOException {
            out.write(request);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            while (last4 != 0x0d0a0d0a) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the connection closed before the answer's head ended");
                }
                head.write(b);
                last4 = last4 << 8 | b;
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
                closing |= line.regionMatches(true, 0, "Connection:", 0, 11) && line.substring(11).strip().equalsIgnoreCase("close");
            }
            if (in.readNBytes(length).length != length) {
                throw new IOException("the connection closed before the answer's body ended");
            }
            return Integer.parseInt(text.substring(9, 12));
        }

        /** Whether the last answer said the connection closes after it. */
        boolean closed() throws IOException {
            if (closing) {
                close();
            }
            return closing;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
