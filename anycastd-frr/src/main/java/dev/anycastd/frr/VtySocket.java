package dev.anycastd.frr;

import dev.anycastd.core.prefix.RoutingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * bgpd's vty Unix socket ({@code /var/run/frr/bgpd.vty} by default), spoken to as vtysh speaks to
 * it, without starting a process: a call costs about a millisecond where a vtysh process costs
 * some 50. Immutable; equal when socket and timeout are.
 *
 * <p>The protocol (FRR's {@code vtysh_client_run} and {@code vtysh_read} in {@code lib/vty.c},
 * the same in FRR 8.4 and later): the client writes one command line ending in a NUL byte and
 * waits for the answer, the command's output followed by three NUL bytes and one status byte
 * (FRR's {@code CMD_*} code); one line at a time. A new connection starts in FRR's view node,
 * so a call first sends {@code enable}, as vtysh does. Like {@code vtysh -c}, a call goes on
 * after a line answered with {@code CMD_SUCCESS}, {@code CMD_WARNING} (FRR's "not found" of a
 * show command; vtysh exits 0) or {@code CMD_SUCCESS_DAEMON}, and stops at any other status,
 * which {@link FrrTransport.Result} reports as exit code 1 with the line, the status and
 * what bgpd printed. Closing the connection leaves configuration mode as {@code end} would.
 *
 * <p>The socket reaches bgpd alone: vtysh's {@code show running-config bgpd}, which asks bgpd
 * for its part of the configuration, is sent as bgpd's own {@code show running-config}.
 *
 * <p>FRR creates the socket for user {@code frr} and group {@code frrvty}, mode 0770: only root
 * and members of {@code frrvty} may connect.
 *
 * @param socket bgpd's vty socket
 * @param timeout how long one call (connecting, every line and its answer) may take; the
 *     connection is closed after it
 */
record VtySocket(Path socket, Duration timeout) implements FrrTransport {

    /** Where Debian's and FRR's default build put bgpd's vty socket. */
    static final Path DEFAULT = Path.of("/var/run/frr/bgpd.vty");

    /** FRR's {@code CMD_*} codes, by value, for messages. */
    private static final List<String> STATUS_NAMES = List.of("CMD_SUCCESS", "CMD_WARNING", "CMD_ERR_NO_MATCH", "CMD_ERR_AMBIGUOUS",
            "CMD_ERR_INCOMPLETE", "CMD_ERR_EXEED_ARGC_MAX", "CMD_ERR_NOTHING_TODO", "CMD_COMPLETE_FULL_MATCH", "CMD_COMPLETE_MATCH",
            "CMD_COMPLETE_LIST_MATCH", "CMD_SUCCESS_DAEMON", "CMD_ERR_NO_FILE", "CMD_SUSPEND", "CMD_WARNING_CONFIG_FAILED",
            "CMD_NOT_MY_INSTANCE", "CMD_NO_LEVEL_UP", "CMD_ERR_NO_DAEMON");
    private static final int CMD_SUCCESS = 0;
    private static final int CMD_WARNING = 1;
    private static final int CMD_SUCCESS_DAEMON = 10;
    private static final String RUNNING_CONFIG_OF_BGPD = "show running-config bgpd";

    VtySocket {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public Result run(List<String> commands) throws VtyshException {
        try {
            return attempt(commands);
        } catch (Unconnectable e) {
            throw new VtyshException("cannot connect to bgpd's vty socket \"" + socket + "\": " + e.reason(), commands,
                    OptionalInt.empty(), "", "", e.getCause());
        }
    }

    /**
     * Like {@link #run}, but tells apart a socket that cannot be connected to, when nothing has
     * been sent, so that the caller may go another way.
     *
     * @throws Unconnectable if the socket cannot be connected to; bgpd has seen nothing
     */
    Result attempt(List<String> commands) throws VtyshException, Unconnectable {
        long deadline = System.nanoTime() + timeout.toNanos();
        Connection connection = connect(deadline);
        StringBuilder output = new StringBuilder();
        try (connection) {
            Answer enable = connection.send("enable");
            if (!enable.passed()) {
                return refused(commands, output.append(enable.text()), "enable", enable.status());
            }
            for (String line : lines(commands)) {
                Answer answer = connection.send(line.strip().equals(RUNNING_CONFIG_OF_BGPD) ? "show running-config" : line);
                output.append(answer.text());
                if (!answer.passed()) {
                    return refused(commands, output, line, answer.status());
                }
            }
            return new Result(commands, 0, output.toString(), "");
        } catch (Deadline e) {
            throw new VtyshException("bgpd's vty socket \"" + socket + "\" did not answer within " + timeout
                    + "; the connection was closed", commands, OptionalInt.empty(), output + e.partial, "", null);
        } catch (Interrupted e) {
            Thread.currentThread().interrupt();
            throw new VtyshException("interrupted while waiting for bgpd's vty socket \"" + socket + "\"; the connection was closed",
                    commands, OptionalInt.empty(), output + e.partial, "", null);
        } catch (IOException e) {
            throw new VtyshException("cannot talk to bgpd through its vty socket \"" + socket + "\": " + describe(e), commands,
                    OptionalInt.empty(), output.toString(), "", e);
        }
    }

    private Connection connect(long deadline) throws Unconnectable {
        try {
            return Connection.open(socket, deadline);
        } catch (IOException | Deadline | Interrupted e) {
            if (e instanceof Interrupted) {
                Thread.currentThread().interrupt();
            }
            throw new Unconnectable(describe(e), e);
        }
    }

    /** The socket cannot be connected to (missing, refused, not allowed, no answer in time); nothing was sent. */
    static final class Unconnectable extends Exception {
        private static final long serialVersionUID = 1L;
        private final String reason;

        Unconnectable(String reason, Throwable cause) {
            super(reason, cause);
            this.reason = reason;
        }

        /** Why, e.g. {@code SocketException: No such file or directory}. */
        String reason() {
            return reason;
        }
    }

    @Override
    public void requireUsable() throws RoutingException {
        Optional<String> reason = unusableReason();
        if (reason.isPresent()) {
            throw new RoutingException("bgpd's vty socket \"" + socket + "\" cannot be connected to (" + reason.get()
                    + "); start FRR with bgpd enabled (bgpd=yes in /etc/frr/daemons), check the option vty-socket, and run"
                    + " anycastd as root or as a member of group frrvty, or use transport = \"vtysh\"");
        }
    }

    /**
     * Why the socket cannot be connected to now, or empty when it can; the connection is closed
     * again at once.
     */
    Optional<String> unusableReason() {
        try {
            connect(System.nanoTime() + timeout.toNanos()).close();
            return Optional.empty();
        } catch (Unconnectable e) {
            return Optional.of(e.reason());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String describe() {
        return "vty socket \"" + socket + "\"";
    }

    @Override
    public String announcedThrough() {
        return socket.toString();
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("transport", "vty");
        options.put("vty-socket", socket.toString());
        return Collections.unmodifiableMap(options);
    }

    /** FRR's name of a vty status, e.g. {@code 13 (CMD_WARNING_CONFIG_FAILED)}. */
    static String statusName(int status) {
        return status + (status >= 0 && status < STATUS_NAMES.size() ? " (" + STATUS_NAMES.get(status) + ")" : "");
    }

    private Result refused(List<String> commands, CharSequence output, String line, int status) {
        return new Result(commands, 1, output.toString(), "",
                Optional.of("bgpd answered \"" + line.strip() + "\" with vty status " + statusName(status)));
    }

    private static String describe(Exception e) {
        if (e instanceof Deadline) {
            return "no connection within the timeout";
        }
        if (e instanceof Interrupted) {
            return "interrupted";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** bgpd's answer to one line. */
    private record Answer(String text, int status) {
        /** Whether vtysh would go on after this answer. */
        boolean passed() {
            return status == CMD_SUCCESS || status == CMD_WARNING || status == CMD_SUCCESS_DAEMON;
        }
    }

    /** The call's deadline passed; carries what bgpd had answered of the current line. */
    private static final class Deadline extends Exception {
        private static final long serialVersionUID = 1L;
        private final String partial;

        Deadline(String partial) {
            super(null, null, false, false);
            this.partial = partial;
        }
    }

    /** The thread was interrupted while waiting; carries what bgpd had answered of the current line. */
    private static final class Interrupted extends Exception {
        private static final long serialVersionUID = 1L;
        private final String partial;

        Interrupted(String partial) {
            super(null, null, false, false);
            this.partial = partial;
        }
    }

    /** One non-blocking connection, waited on with a selector so that every wait ends at the deadline. */
    private static final class Connection implements AutoCloseable {

        private final SocketChannel channel;
        private final Selector selector;
        private final long deadline;
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

        private Connection(SocketChannel channel, Selector selector, long deadline) {
            this.channel = channel;
            this.selector = selector;
            this.deadline = deadline;
        }

        static Connection open(Path socket, long deadline) throws IOException, Deadline, Interrupted {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            Connection connection = null;
            try {
                channel.configureBlocking(false);
                Selector selector = Selector.open();
                connection = new Connection(channel, selector, deadline);
                if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                    connection.await(SelectionKey.OP_CONNECT, "");
                    channel.finishConnect();
                }
                return connection;
            } catch (IOException | Deadline | Interrupted | RuntimeException e) {
                if (connection != null) {
                    connection.close();
                } else {
                    channel.close();
                }
                throw e;
            }
        }

        /** Sends one line and reads bgpd's answer to it. */
        Answer send(String line) throws IOException, Deadline, Interrupted {
            ByteBuffer request = ByteBuffer.wrap((line + "\0").getBytes(StandardCharsets.UTF_8));
            while (request.hasRemaining()) {
                if (channel.write(request) == 0) {
                    await(SelectionKey.OP_WRITE, "");
                }
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            while (true) {
                buffer.clear();
                int read = channel.read(buffer);
                if (read < 0) {
                    throw new IOException("bgpd closed the connection before it answered \"" + line + "\"; it printed \""
                            + answer.toString(StandardCharsets.UTF_8).strip() + "\"");
                }
                if (read == 0) {
                    await(SelectionKey.OP_READ, answer.toString(StandardCharsets.UTF_8));
                    continue;
                }
                answer.write(buffer.array(), 0, read);
                byte[] bytes = answer.toByteArray();
                int end = indexOfNul(bytes);
                if (end >= 0 && bytes.length >= end + 4) {
                    if (bytes[end + 1] != 0 || bytes[end + 2] != 0 || bytes.length > end + 4) {
                        throw new IOException("bgpd's answer to \"" + line + "\" is not vty protocol: it has "
                                + (bytes.length - end) + " bytes after the output's end where 4 were expected");
                    }
                    return new Answer(new String(bytes, 0, end, StandardCharsets.UTF_8), bytes[end + 3] & 0xff);
                }
            }
        }

        private void await(int operation, String partial) throws IOException, Deadline, Interrupted {
            SelectionKey key = channel.register(selector, operation);
            try {
                long left = deadline - System.nanoTime();
                // select(ms) waits forever on 0: a deadline under a millisecond away is one millisecond away.
                while (left > 0 && selector.select(Math.max(1, left / 1_000_000)) == 0) {
                    if (Thread.interrupted()) {
                        throw new Interrupted(partial);
                    }
                    left = deadline - System.nanoTime();
                }
                if (Thread.interrupted()) {
                    throw new Interrupted(partial);
                }
                if (left <= 0) {
                    throw new Deadline(partial);
                }
                selector.selectedKeys().clear();
            } finally {
                key.interestOps(0);
            }
        }

        private static int indexOfNul(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == 0) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            try {
                selector.close();
            } finally {
                channel.close();
            }
        }
    }

    /** The lines of {@code commands} in order, as vtysh runs them: each {@code -c} split at newlines, blank lines skipped. */
    private static List<String> lines(List<String> commands) {
        List<String> lines = new ArrayList<>();
        for (String command : commands) {
            for (String line : command.split("\n", -1)) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }
}
