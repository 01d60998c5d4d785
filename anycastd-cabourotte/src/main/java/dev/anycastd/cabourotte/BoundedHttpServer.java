package dev.anycastd.cabourotte;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 server for short requests from a few local clients, bounded in everything a
 * client controls, so that no client can keep it from answering another for long:
 *
 * <ul>
 *   <li>one thread reads and writes every connection without blocking on any, so a slow client
 *       costs a buffer, not a thread;
 *   <li>a request's head and body must arrive within {@link Limits#requestDeadline()} of its
 *       first byte (of the connection, for its first request): a request trickled a byte at a
 *       time is answered 408 and closed at that deadline, however often its bytes come;
 *   <li>at most {@link Limits#connectionsPerAddress()} connections per client address and
 *       {@link Limits#connections()} in all: a new connection past either bound closes an older
 *       one that is not being answered (once what each has sent is read: one done but for its
 *       close first, then the one whose request started first, then the one idle longest), so a
 *       newcomer is never locked out by connections that do nothing; only when every one is
 *       being answered is the newcomer closed instead;
 *   <li>the handler sees a request's head before its body is read, and an answer it gives then
 *       is sent at once and closes the connection: the body is never read (what the client has
 *       sent already is discarded, at most {@link #LINGER_BYTES} for at most {@link #LINGER},
 *       so that closing does not reset the connection before the client read the answer);
 *   <li>heads and bodies are bounded ({@link RequestReader}); complete requests wait for the
 *       handling thread in a bounded queue, past which they are answered 503;
 *   <li>every answer leaves in one write, with {@code TCP_NODELAY}; answers of 400 or more
 *       close the connection; idle kept-alive connections close after
 *       {@link Limits#idleTimeout()}.
 * </ul>
 *
 * <p>Threads: the server's thread owns every connection and all their state; one handling
 * thread runs {@link Handler#request}; {@link #close()} may be called from any thread.
 */
final class BoundedHttpServer {

    /** How long, at most, what a client still sends after an answer that closes its connection is read and dropped. */
    static final Duration LINGER = Duration.ofSeconds(1);
    /** How much, at most, of what a client still sends after an answer that closes its connection is read and dropped. */
    static final int LINGER_BYTES = 64 * 1024;

    /**
     * What a client may use of the server.
     *
     * @param requestDeadline how long a request's head and body may take to arrive, and its answer to be taken
     * @param idleTimeout how long a kept-alive connection may wait for its next request
     * @param waitingRequests complete requests that may wait for the handling thread
     */
    record Limits(Duration requestDeadline, Duration idleTimeout, int connectionsPerAddress, int connections, int maxHeadBytes,
            int maxBodyBytes, int waitingRequests) {
        Limits {
            Objects.requireNonNull(requestDeadline, "requestDeadline");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (connectionsPerAddress < 1 || connections < connectionsPerAddress || maxHeadBytes < 64 || maxBodyBytes < 0
                    || waitingRequests < 1) {
                throw new IllegalArgumentException("limits out of range: " + connectionsPerAddress + " per address, "
                        + connections + " in all, head " + maxHeadBytes + ", body " + maxBodyBytes + ", waiting " + waitingRequests);
            }
        }
    }

    /** What the server asks of its user. */
    interface Handler {
        /**
         * Decides on a request from its head alone, on the server's thread, before any of its
         * body is read. Must not block.
         *
         * @return the answer, which closes the connection; or {@code null} to read the body and
         *     have {@link #request} answer
         */
        HttpAnswer head(RequestHead head);

        /** Answers a complete request, on the handling thread. */
        HttpAnswer request(RequestHead head, byte[] body);

        /**
         * The server answered a request itself (not valid, too large, too slow, too many
         * waiting), on the server's thread.
         *
         * @param head the request's head, or {@code null} if it was not read
         */
        void refused(RequestHead head, InetAddress client, HttpAnswer answer);

        /**
         * The server closed a connection without an answer, on the server's thread.
         *
         * @param client the client's address, or {@code null} when the connection could not even be accepted
         * @param kind why, stable and free of client input
         * @param reason why, as a clause for the operator
         */
        void dropped(InetAddress client, String kind, String reason);

        /** The server's own socket failed (or the server has a fault), on the server's thread: it has stopped serving and closed its port. */
        void failed(Exception cause);
    }

    private enum State {
        /** A request is under way, or awaited on a new connection; bound by the request deadline. */
        READING,
        /** The handler has the request; nothing is read meanwhile. */
        HANDLING,
        /** The answer is being written; bound by the request deadline. */
        WRITING,
        /** Kept alive between requests; bound by the idle timeout. */
        IDLE,
        /** Answered, output shut down: what the client still sends is dropped until it closes; bound by {@link BoundedHttpServer#LINGER}. */
        LINGERING
    }

    /** One client connection: owned by the server's thread. */
    private final class Connection {
        final SocketChannel channel;
        final InetAddress client;
        final SelectionKey key;
        final RequestReader reader = new RequestReader(limits.maxHeadBytes(), limits.maxBodyBytes());
        final ByteBuffer in = ByteBuffer.allocate(4096);
        State state = State.READING;
        /** When the current state's bound started, from {@link System#nanoTime()}. */
        long since;
        /** Whether a byte of the current request arrived. */
        boolean started;
        RequestHead head;
        ByteBuffer out;
        boolean closeAfterAnswer;
        long dropped;
        boolean closed;

        Connection(SocketChannel channel, InetAddress client, SelectionKey key, long now) {
            this.channel = channel;
            this.client = client;
            this.key = key;
            this.since = now;
        }

        long deadline() {
            return switch (state) {
                case READING, WRITING -> since + limits.requestDeadline().toNanos();
                case IDLE -> since + limits.idleTimeout().toNanos();
                case LINGERING -> since + LINGER.toNanos();
                case HANDLING -> Long.MAX_VALUE;
            };
        }
    }

    /** An answer from the handling thread, for the server's thread to write. */
    private record Answered(Connection connection, HttpAnswer answer) {
    }

    private final Limits limits;
    private final Handler handler;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private final ThreadPoolExecutor handling;
    private final Queue<Answered> answered = new ConcurrentLinkedQueue<>();
    private volatile boolean closing;

    /** Owned by the server's thread. */
    private final Set<Connection> connections = new LinkedHashSet<>();
    private final Map<InetAddress, List<Connection>> byClient = new HashMap<>();

    private BoundedHttpServer(Limits limits, Handler handler, ServerSocketChannel server, Selector selector, String threadName) {
        this.limits = limits;
        this.handler = handler;
        this.server = server;
        this.selector = selector;
        this.handling = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(limits.waitingRequests()),
                task -> daemon(task, threadName), new ThreadPoolExecutor.AbortPolicy());
        this.handling.allowCoreThreadTimeOut(true);
        this.thread = daemon(this::serve, threadName + "-io");
    }

    /**
     * Listens on {@code listen} and serves until {@link #close()}.
     *
     * @param threadName the handling thread's name; the server's thread adds {@code -io}
     * @throws IOException if the address cannot be bound (the port is taken, say)
     */
    static BoundedHttpServer open(InetSocketAddress listen, Limits limits, Handler handler, String threadName) throws IOException {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(handler, "handler");
        ServerSocketChannel server = ServerSocketChannel.open();
        Selector selector;
        try {
            // Taking the port again while connections of an earlier socket are in TIME_WAIT; another listener still excludes it.
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(listen);
            server.configureBlocking(false);
            selector = Selector.open();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        BoundedHttpServer opened = new BoundedHttpServer(limits, handler, server, selector, threadName);
        server.register(selector, SelectionKey.OP_ACCEPT);
        opened.thread.start();
        return opened;
    }

    /** The port listened on. */
    int port() {
        return server.socket().getLocalPort();
    }

    /**
     * Stops serving: closes every connection and the listening socket, whose port is free when
     * this returns (unless called from the server's own thread). Requests being handled are
     * not answered.
     */
    void close() {
        closing = true;
        selector.wakeup();
        handling.shutdownNow();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void serve() {
        try {
            while (!closing) {
                long wait = expire(System.nanoTime());
                if (wait == 0) {
                    selector.select();
                } else {
                    selector.select(wait);
                }
                for (Answered one = answered.poll(); one != null; one = answered.poll()) {
                    write(one);
                }
                for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.channel() == server) {
                        acceptAll();
                    } else if (key.isValid()) {
                        serve((Connection) key.attachment(), key);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // The selector itself failed, or this server has a fault: nothing more can be served.
            handler.failed(e);
        } finally {
            for (Connection connection : new ArrayList<>(connections)) {
                close(connection);
            }
            try {
                server.close();
                selector.close();
            } catch (IOException e) {
                // As for a connection: closing fails only when the socket is broken already.
            }
        }
    }

    /** Writes an answer from the handling thread. */
    private void write(Answered answered) {
        Connection connection = answered.connection();
        HttpAnswer answer = answered.answer();
        if (!connection.closed) {
            guarded(connection, () -> answer(connection, answer, answer.status() >= 400 || connection.head.closesConnection()));
        }
    }

    /** Closes the connections past their bound; returns how long until the next bound, in ms, or 0 for none. */
    private long expire(long now) {
        long next = Long.MAX_VALUE;
        for (Connection connection : new ArrayList<>(connections)) {
            long deadline = connection.deadline();
            if (deadline == Long.MAX_VALUE) {
                continue;
            }
            long left = deadline - now;
            if (left > 0) {
                next = Math.min(next, left);
                continue;
            }
            switch (connection.state) {
                case READING -> {
                    if (connection.started) {
                        HttpAnswer late = HttpAnswer.refusal(408, "deadline", "the request did not arrive in full within "
                                + limits.requestDeadline().toMillis() + " ms");
                        handler.refused(connection.head, connection.client, late);
                        // One try, without waiting: a client this slow may not read either.
                        writeOnce(connection, late.toBytes(true));
                    } else {
                        handler.dropped(connection.client, "no_request", "it sent no request within "
                                + limits.requestDeadline().toMillis() + " ms");
                    }
                }
                case WRITING -> handler.dropped(connection.client, "answer_unread", "it did not take its answer within "
                        + limits.requestDeadline().toMillis() + " ms");
                case IDLE, LINGERING, HANDLING -> {
                    // An idle connection's end, or a closing one's: nothing to say.
                }
            }
            close(connection);
        }
        return next == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(next + 999_999));
    }

    private void acceptAll() {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                // Out of file descriptors, say: the connection waits in the backlog for the next round.
                handler.dropped(null, "accept", "accepting it failed: " + e);
                return;
            }
            if (channel == null) {
                return;
            }
            try {
                accept(channel);
            } catch (IOException e) {
                // This connection failed as it was being set up (the client reset it, say): only it is lost.
                closeQuietly(channel);
            }
        }
    }

    private void accept(SocketChannel channel) throws IOException {
        InetAddress client = ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
        List<Connection> same = byClient.getOrDefault(client, List.of());
        if (same.size() >= limits.connectionsPerAddress()
                && !makeRoom(same, limits.connectionsPerAddress(), "connections_per_address", "from its address")) {
            closeQuietly(channel);
            handler.dropped(client, "connections_per_address", "it came when all " + limits.connectionsPerAddress()
                    + " connections from its address, the most allowed, were being answered");
            return;
        }
        if (connections.size() >= limits.connections() && !makeRoom(connections, limits.connections(), "connections", "in all")) {
            closeQuietly(channel);
            handler.dropped(client, "connections", "it came when all " + limits.connections()
                    + " connections, the most allowed, were being answered");
            return;
        }
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        Connection connection = new Connection(channel, client, key, System.nanoTime());
        key.attach(connection);
        connections.add(connection);
        byClient.computeIfAbsent(client, address -> new ArrayList<>()).add(connection);
    }

    /**
     * Makes room among {@code among} (at {@code bound} connections) for a new connection: reads
     * what each has sent first, so that a complete request is handled rather than taken for a
     * slow one; then closes one lingering, else the one whose request started first, else the
     * one idle longest; never one being answered.
     *
     * @param which how {@code among} is chosen, for the reason: "from its address", "in all"
     * @return whether there is room now
     */
    private boolean makeRoom(Collection<Connection> among, int bound, String kind, String which) {
        for (Connection connection : List.copyOf(among)) {
            // Its bytes may have come with the newcomer's, in this same round, and not be read yet.
            guarded(connection, () -> read(connection));
        }
        if (among.size() < bound) {
            return true;
        }
        Optional<Connection> victim = among.stream().filter(connection -> connection.state == State.LINGERING).findFirst()
                .or(() -> oldest(among, State.READING))
                .or(() -> oldest(among, State.IDLE));
        victim.ifPresent(connection -> {
            if (connection.state != State.LINGERING) {
                handler.dropped(connection.client, kind, "it made room for a newer one, as " + bound + " connections " + which
                        + " is the most allowed");
            }
            close(connection);
        });
        return victim.isPresent();
    }

    private static Optional<Connection> oldest(Collection<Connection> among, State state) {
        // Compared by difference: nanoTime values may wrap.
        Comparator<Connection> bySince = (a, b) -> Long.signum(a.since - b.since);
        return among.stream().filter(connection -> connection.state == state).min(bySince);
    }

    private void serve(Connection connection, SelectionKey key) {
        if (key.isWritable()) {
            guarded(connection, () -> write(connection));
        } else if (key.isReadable()) {
            guarded(connection, () -> read(connection));
        }
    }

    /** A step of serving a connection. */
    private interface Step {
        void run() throws IOException;
    }

    /** Runs {@code step}; if it fails, closes the connection and goes on serving the others. */
    private void guarded(Connection connection, Step step) {
        try {
            step.run();
        } catch (IOException e) {
            // The client reset or closed the connection: it has no answer to wait for.
            close(connection);
        } catch (RuntimeException e) {
            // A fault of this server's own.
            handler.dropped(connection.client, "failed", "serving it failed: " + e);
            close(connection);
        }
    }

    private void read(Connection connection) throws IOException {
        if (connection.closed || connection.state == State.HANDLING || connection.state == State.WRITING) {
            // Readiness reported before the connection changed state in this round: its bytes wait for their turn.
            return;
        }
        if (connection.state == State.LINGERING) {
            connection.in.clear();
            int read = connection.channel.read(connection.in);
            connection.dropped += Math.max(read, 0);
            if (read < 0 || connection.dropped > LINGER_BYTES) {
                close(connection);
            }
            connection.in.clear();
            return;
        }
        int read = connection.channel.read(connection.in);
        if (read < 0) {
            close(connection);
            return;
        }
        if (read > 0 && connection.state == State.IDLE) {
            connection.state = State.READING;
            connection.since = System.nanoTime();
        }
        connection.started |= read > 0;
        proceedWithBuffered(connection);
    }

    /**
     * Goes on with the current request from what {@code connection.in} holds. Outside this
     * method {@code in} is always ready to be read into (its position is how much it holds).
     */
    private void proceedWithBuffered(Connection connection) throws IOException {
        connection.in.flip();
        try {
            proceed(connection);
        } finally {
            if (!connection.closed) {
                connection.in.compact();
            }
        }
    }

    /** Goes on with the current request from what {@code connection.in} holds, flipped for reading from it. */
    private void proceed(Connection connection) throws IOException {
        while (connection.state == State.READING) {
            RequestReader.Step step = connection.reader.read(connection.in);
            if (step instanceof RequestReader.Step.Head head) {
                connection.head = head.head();
                HttpAnswer early = handler.head(head.head());
                if (early != null) {
                    answer(connection, early, true);
                    return;
                }
                step = connection.reader.startBody();
                if (step instanceof RequestReader.Step.NeedMore && head.head().expectsContinue() && !connection.in.hasRemaining()
                        && !writeOnce(connection, "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))) {
                    // 25 bytes into an empty send buffer do not stay behind; if they did, the client is not reading.
                    close(connection);
                    return;
                }
            }
            if (step instanceof RequestReader.Step.NeedMore) {
                if (!connection.in.hasRemaining()) {
                    return;
                }
            } else if (step instanceof RequestReader.Step.Body body) {
                hand(connection, body.bytes());
                return;
            } else if (step instanceof RequestReader.Step.Malformed malformed) {
                HttpAnswer refusal = HttpAnswer.refusal(malformed.status(), malformed.kind(), malformed.reason());
                handler.refused(connection.head, connection.client, refusal);
                answer(connection, refusal, true);
                return;
            }
        }
    }

    /** Hands a complete request to the handling thread; its answer comes back through {@link #answered}. */
    private void hand(Connection connection, byte[] body) throws IOException {
        connection.state = State.HANDLING;
        connection.key.interestOps(0);
        RequestHead head = connection.head;
        try {
            handling.execute(() -> {
                HttpAnswer answer;
                try {
                    answer = handler.request(head, body);
                } catch (RuntimeException e) {
                    answer = HttpAnswer.refusal(500, "failed", "handling the request failed: " + e);
                }
                answered.add(new Answered(connection, answer));
                selector.wakeup();
            });
        } catch (RejectedExecutionException e) {
            HttpAnswer busy = HttpAnswer.refusal(503, "busy", limits.waitingRequests()
                    + " requests are waiting to be handled already; the check's poll reads the result meanwhile")
                    .with("Retry-After", "1");
            handler.refused(head, connection.client, busy);
            answer(connection, busy, true);
        }
    }

    private void answer(Connection connection, HttpAnswer answer, boolean close) throws IOException {
        connection.out = ByteBuffer.wrap(answer.toBytes(close));
        connection.closeAfterAnswer = close;
        connection.state = State.WRITING;
        connection.since = System.nanoTime();
        write(connection);
    }

    private void write(Connection connection) throws IOException {
        connection.channel.write(connection.out);
        if (connection.out.hasRemaining()) {
            connection.key.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        connection.out = null;
        if (connection.closeAfterAnswer) {
            // Close gently: the client sees the end of the answer at once, and what it sent meanwhile
            // is dropped, not left unread (which would make closing reset the connection).
            connection.channel.shutdownOutput();
            connection.state = State.LINGERING;
            connection.since = System.nanoTime();
            connection.key.interestOps(SelectionKey.OP_READ);
            return;
        }
        connection.reader.reset();
        connection.head = null;
        connection.since = System.nanoTime();
        connection.key.interestOps(SelectionKey.OP_READ);
        connection.started = connection.in.position() > 0;
        if (!connection.started) {
            connection.state = State.IDLE;
            return;
        }
        // The client sent its next request with the last one: read it now, as if it had just come.
        // (Only answers from the handling thread keep a connection alive, so this is not within proceed.)
        connection.state = State.READING;
        proceedWithBuffered(connection);
    }

    /** Writes {@code bytes} with one non-blocking write; whether all of them went. */
    private static boolean writeOnce(Connection connection, byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            connection.channel.write(buffer);
            return !buffer.hasRemaining();
        } catch (IOException e) {
            return false;
        }
    }

    private void close(Connection connection) {
        if (connection.closed) {
            return;
        }
        connection.closed = true;
        connection.key.cancel();
        closeQuietly(connection.channel);
        connections.remove(connection);
        List<Connection> same = byClient.get(connection.client);
        if (same != null && same.remove(connection) && same.isEmpty()) {
            byClient.remove(connection.client);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a socket fails only when it is broken already; it is gone either way.
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
