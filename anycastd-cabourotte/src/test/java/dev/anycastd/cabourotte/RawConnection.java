package dev.anycastd.cabourotte;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client connection that sends exactly the bytes a test writes, as slowly as it likes, and
 * records what the server sends back and whether the server closed the connection: what an
 * HTTP client library would hide.
 */
final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean closedByServer;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** A connection to {@code port} of 127.0.0.1. */
    static RawConnection to(int port) throws IOException {
        return new RawConnection(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** Sends {@code text} (ISO-8859-1), or fails if the server closed the connection. */
    void send(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code text}, or does nothing once the server closed the connection: for a client that keeps trickling. */
    void trickle(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            // The server cut the connection: that is what the test waits for.
        }
    }

    /** Whether the server has closed (or reset) the connection, reading what it sent meanwhile without waiting for more. */
    synchronized boolean closedByServer() {
        if (closedByServer) {
            return true;
        }
        try {
            socket.setSoTimeout(10);
            byte[] buffer = new byte[4096];
            for (int read = in.read(buffer); ; read = in.read(buffer)) {
                if (read < 0) {
                    closedByServer = true;
                    return true;
                }
                received.write(buffer, 0, read);
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            closedByServer = true; // reset
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits at most {@code within} for the server to close the connection; everything it sent. */
    String awaitClosed(Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(20)).until(this::closedByServer);
        return received();
    }

    /** Waits at most {@code within} until the server sent as many characters as {@code expected} has; everything it sent. */
    String awaitReceivedAsMuchAs(String expected, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(10)).until(() -> {
            closedByServer();
            return received().length() >= expected.length();
        });
        return received();
    }

    /** What the server sent so far (ISO-8859-1). */
    synchronized String received() {
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
