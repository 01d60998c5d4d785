package dev.anycastd.testkit.frr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fake FRR daemon vty socket for tests: a Unix stream socket that speaks the framing vtysh and
 * FRR's daemons use (a command ending in a NUL byte; the answer's text, three NUL bytes and a
 * status byte), answering each line as the test's function says. It can also stay silent,
 * close the connection mid-answer, or send bytes that are not the protocol, to test a client's
 * timeouts and error handling.
 *
 * <p>It is a fake: it knows no FRR command; for FRR's real answers use the {@link FrrLab}.
 * Thread-safe: one thread per connection; every line received is recorded in order.
 */
public final class FakeVtySocket implements AutoCloseable {

    /** FRR's {@code CMD_SUCCESS}. */
    public static final int SUCCESS = 0;
    /** FRR's {@code CMD_WARNING}: a show command's "not found"; vtysh still exits 0. */
    public static final int WARNING = 1;
    /** FRR's {@code CMD_ERR_NO_MATCH}: an unknown command. */
    public static final int NO_MATCH = 2;
    /** FRR's {@code CMD_WARNING_CONFIG_FAILED}: a configuration line that failed. */
    public static final int CONFIG_FAILED = 13;

    /** What the fake does with one line. */
    public sealed interface Reply {
        /** Answers {@code text} with {@code status}, framed as FRR frames it. */
        record Answer(String text, int status) implements Reply {
            /** @throws NullPointerException if {@code text} is null */
            public Answer {
                Objects.requireNonNull(text, "text");
            }
        }

        /** Never answers, and keeps the connection open. */
        record Silence() implements Reply {
        }

        /** Writes {@code partial} and closes the connection without the end of the answer. */
        record Hangup(String partial) implements Reply {
        }

        /** Writes {@code bytes} as they are (e.g. two answers at once, or a broken terminator). */
        record Raw(byte[] bytes) implements Reply {
        }
    }

    private final Path path;
    private final ServerSocketChannel server;
    private final Function<String, Reply> answerer;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;

    private FakeVtySocket(Path path, ServerSocketChannel server, Function<String, Reply> answerer) {
        this.path = path;
        this.server = server;
        this.answerer = answerer;
        this.acceptor = new Thread(this::accept, "fake-vty-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code path} (which must not exist) until {@link #close()}.
     *
     * @throws IOException if the socket cannot be bound
     */
    public static FakeVtySocket listen(Path path, Function<String, Reply> answerer) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        FakeVtySocket fake = new FakeVtySocket(path, server, answerer);
        fake.acceptor.start();
        return fake;
    }

    /** An answerer that answers every line with empty text and {@link #SUCCESS}. */
    public static Function<String, Reply> succeeding() {
        return line -> new Reply.Answer("", SUCCESS);
    }

    /** The socket's path. */
    public Path path() {
        return path;
    }

    /** Every line received, over all connections, in order, without its NUL. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** How many connections were accepted. */
    public int connections() {
        return accepted.get();
    }

    /** Whether every accepted connection has been closed by the client (or by a hangup). */
    public boolean allClosed() {
        return connections.stream().noneMatch(SocketChannel::isOpen);
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel connection = server.accept();
                accepted.incrementAndGet();
                connections.add(connection);
                Thread serving = new Thread(() -> serve(connection), "fake-vty-connection");
                serving.setDaemon(true);
                serving.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel connection) {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (connection) {
            while (true) {
                buffer.clear();
                int read = connection.read(buffer);
                if (read < 0) {
                    return;
                }
                for (int i = 0; i < read; i++) {
                    byte b = buffer.get(i);
                    if (b != 0) {
                        line.write(b);
                        continue;
                    }
                    String received = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    lines.add(received);
                    if (!reply(connection, answerer.apply(received))) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // The client went away: nothing to answer.
        }
    }

    /** Sends the reply; false when the connection is to end. */
    private boolean reply(SocketChannel connection, Reply reply) throws IOException {
        if (reply instanceof Reply.Answer answer) {
            byte[] text = answer.text().getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.allocate(text.length + 4);
            out.put(text).put(new byte[] {0, 0, 0, (byte) answer.status()}).flip();
            write(connection, out);
            return true;
        }
        if (reply instanceof Reply.Hangup hangup) {
            write(connection, ByteBuffer.wrap(hangup.partial().getBytes(StandardCharsets.UTF_8)));
            return false;
        }
        if (reply instanceof Reply.Raw raw) {
            write(connection, ByteBuffer.wrap(raw.bytes().clone()));
            return true;
        }
        // Silence: keep reading (and recording) until the client gives up.
        return true;
    }

    private static void write(SocketChannel connection, ByteBuffer out) throws IOException {
        while (out.hasRemaining()) {
            connection.write(out);
        }
    }

    /** Stops listening, closes every connection and deletes the socket file. */
    @Override
    public void close() {
        List<IOException> failures = new ArrayList<>();
        try {
            server.close();
        } catch (IOException e) {
            failures.add(e);
        }
        for (SocketChannel connection : connections) {
            try {
                connection.close();
            } catch (IOException e) {
                failures.add(e);
            }
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            UncheckedIOException failure = new UncheckedIOException(new IOException("the fake vty socket " + path + " did not close cleanly"));
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }
}
