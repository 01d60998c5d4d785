package dev.anycastd.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's end of the control socket: a Unix domain socket, mode 0660 (owner and the
 * daemon's group), on which each connection sends one request line and gets one answer line
 * (docs/CONTROL.md). Bound before anything is announced, so that a second daemon is refused
 * before it touches the routing daemon; removed after every prefix is withdrawn at exit.
 *
 * <p>Threads: one accepts; each connection is answered on a thread of its own, at most
 * {@value #MAX_CONNECTIONS} at once. A client must send its request within
 * {@value #REQUEST_SECONDS} s.
 */
final class ControlServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

    static final int MAX_CONNECTIONS = 8;
    static final int REQUEST_SECONDS = 10;
    /** Far above any request; a longer line is not one. */
    static final int MAX_LINE = 64 * 1024;

    private final Path path;
    private final ServerSocketChannel server;
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "anycastd-control-deadlines");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger count = new AtomicInteger();

    private ControlServer(Path path, ServerSocketChannel server) {
        this.path = path;
        this.server = server;
    }

    /**
     * Listens on {@code path}, replacing a stale socket a killed daemon left there.
     *
     * @throws ControlException when another daemon answers on it (two must not drive one router),
     *     or when it cannot be created
     */
    static ControlServer bind(Path path) throws ControlException {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw cannotCreate(path, e);
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (!isSocketLeftOver(path)) {
                throw new ControlException(ControlException.Kind.CANNOT_CREATE, "cannot listen on the control socket " + path
                        + ": something that is not a socket is there; remove it or give another path with --control-socket");
            }
            if (answers(path)) {
                throw new ControlException(ControlException.Kind.IN_USE, "another anycastd is running: it answers on the control"
                        + " socket " + path + "; two daemons must not drive one router. Stop it first, or give this one another"
                        + " --control-socket if it drives another router");
            }
            // Nobody answers: a killed daemon's socket.
            try {
                Files.delete(path);
                log.atInfo().addKeyValue("control_socket", path.toString())
                        .log("Replaced the stale control socket {} an earlier run left.", path);
            } catch (IOException deleting) {
                throw cannotCreate(path, deleting);
            }
        }
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            // Created with the process's group; connecting needs write permission, so 0660 keeps others out.
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
            return new ControlServer(path, server);
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(server);
            throw cannotCreate(path, e);
        }
    }

    /** Whether a process accepts connections on the socket at {@code path}. */
    private static boolean answers(Path path) {
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(path)).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A socket is "other" to NIO; a plain file or directory is never a leftover of ours. */
    private static boolean isSocketLeftOver(Path path) {
        return !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                && !Files.isSymbolicLink(path);
    }

    private static ControlException cannotCreate(Path path, Exception e) {
        return new ControlException(ControlException.Kind.CANNOT_CREATE, "cannot listen on the control socket " + path + ": "
                + e.getMessage() + "; give a path in a writable directory with --control-socket (as root the default"
                + " /run/anycastd is created; under systemd, RuntimeDirectory=anycastd creates it)", e);
    }

    Path path() {
        return path;
    }

    /** Starts answering: each request line is handed to {@code answer}, whose result is sent back as one line. */
    void serve(UnaryOperator<String> answer) {
        Thread acceptor = new Thread(() -> accept(answer), "anycastd-control");
        acceptor.setDaemon(true);
        acceptor.start();
        log.atInfo().addKeyValue("control_socket", path.toString()).log("Listening for commands on {}.", path);
    }

    private void accept(UnaryOperator<String> answer) {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.atWarn().addKeyValue("error", e.toString()).log("Accepting a control connection failed: {}", e.toString());
                continue;
            }
            if (!connections.tryAcquire()) {
                respond(client, ControlProtocol.busy());
                closeQuietly(client);
                continue;
            }
            Thread handler = new Thread(() -> {
                try {
                    handle(client, answer);
                } finally {
                    closeQuietly(client);
                    connections.release();
                }
            }, "anycastd-control-" + count.incrementAndGet());
            handler.setDaemon(true);
            handler.start();
        }
    }

    private void handle(SocketChannel client, UnaryOperator<String> answer) {
        ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(client), REQUEST_SECONDS, TimeUnit.SECONDS);
        String request;
        try {
            request = readLine(client);
        } catch (IOException e) {
            log.atDebug().log("A control connection ended before its request: {}", e.toString());
            return;
        } finally {
            deadline.cancel(false);
        }
        respond(client, answer.apply(request));
    }

    private static String readLine(SocketChannel client) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (true) {
            buffer.clear();
            int read = client.read(buffer);
            if (read < 0) {
                return line.toString(StandardCharsets.UTF_8);
            }
            for (int i = 0; i < read; i++) {
                byte b = buffer.get(i);
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
            if (line.size() > MAX_LINE) {
                throw new IOException("request longer than " + MAX_LINE + " bytes");
            }
        }
    }

    private static void respond(SocketChannel client, String line) {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                client.write(bytes);
            }
        } catch (IOException e) {
            log.atDebug().log("A control client left before its answer: {}", e.toString());
        }
    }

    /** Stops listening and removes the socket file. */
    @Override
    public void close() {
        closeQuietly(server);
        deadlines.shutdownNow();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.atWarn().addKeyValue("control_socket", path.toString())
                    .log("Could not remove the control socket {}: {}", path, e.toString());
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.atDebug().log("Closing a control channel failed: {}", e.toString());
        }
    }
}
