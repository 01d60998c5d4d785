package dev.anycastd.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The commands' end of the control socket: sends one request line and reads one answer line, within a time limit. */
final class ControlClient {

    private ControlClient() {
    }

    /**
     * Sends {@code request} (the version is added) and answers the daemon's successful answer.
     *
     * @throws ControlException when the daemon is not running, may not be reached, refuses the
     *     request, fails it, or does not answer within {@code limit}
     */
    static JsonNode request(Path socket, ObjectNode request, Duration limit) throws ControlException {
        request.put("version", ControlProtocol.VERSION);
        String line = exchange(socket, request.toString(), limit);
        JsonNode answer;
        try {
            answer = ControlProtocol.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ControlException(ControlException.Kind.PROTOCOL, "the daemon on " + socket + " answered something that is"
                    + " not JSON: " + e.getOriginalMessage());
        }
        if (answer == null || !answer.isObject() || answer.path("version").asInt(-1) != ControlProtocol.VERSION) {
            throw new ControlException(ControlException.Kind.PROTOCOL, "the daemon on " + socket + " does not speak version "
                    + ControlProtocol.VERSION + " of the control protocol; is it another version of anycastd?");
        }
        if (!answer.path("ok").asBoolean(false)) {
            String code = answer.path("error").path("code").asText("");
            String message = answer.path("error").path("message").asText("the daemon refused the request");
            throw new ControlException(switch (code) {
                case "unknown-service" -> ControlException.Kind.REFUSED;
                case "internal" -> ControlException.Kind.FAILED;
                case "invalid-configuration" -> ControlException.Kind.INVALID_CONFIGURATION;
                case "missing-configuration" -> ControlException.Kind.MISSING_CONFIGURATION;
                case "unreadable-configuration" -> ControlException.Kind.UNREADABLE_CONFIGURATION;
                case "unusable-configuration" -> ControlException.Kind.UNUSABLE_CONFIGURATION;
                default -> ControlException.Kind.PROTOCOL;
            }, message);
        }
        return answer;
    }

    private static String exchange(Path socket, String request, Duration limit) throws ControlException {
        if (Files.notExists(socket)) {
            throw notRunning(socket);
        }
        if (!Files.exists(socket)) {
            throw noPermission(socket);
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            throw message.contains("ermission") ? noPermission(socket) : notRunning(socket);
        }
        long deadline = System.nanoTime() + limit.toNanos();
        try (channel; Selector selector = Selector.open()) {
            ByteBuffer out = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(8192);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ControlException(ControlException.Kind.PROTOCOL, "the daemon on " + socket
                            + " did not answer within " + limit.toSeconds() + " s");
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                in.clear();
                int read = channel.read(in);
                if (read < 0) {
                    return line.toString(StandardCharsets.UTF_8);
                }
                for (int i = 0; i < read; i++) {
                    if (in.get(i) == '\n') {
                        return line.toString(StandardCharsets.UTF_8);
                    }
                    line.write(in.get(i));
                }
            }
        } catch (IOException e) {
            throw new ControlException(ControlException.Kind.PROTOCOL, "the connection to the daemon on " + socket
                    + " failed: " + e.getMessage(), e);
        }
    }

    private static ControlException notRunning(Path socket) {
        return new ControlException(ControlException.Kind.NOT_RUNNING,
                "anycastd is not running: nothing answers on " + socket + " (see --control-socket)");
    }

    private static ControlException noPermission(Path socket) {
        return new ControlException(ControlException.Kind.NO_PERMISSION, "no permission to use the control socket " + socket
                + "; run as root or as a member of the daemon's group (anycastd)");
    }
}
