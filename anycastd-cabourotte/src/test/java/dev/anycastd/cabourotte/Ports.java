package dev.anycastd.cabourotte;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for tests that must name a port in the configuration. */
final class Ports {

    private Ports() {
    }

    /**
     * A port of 127.0.0.1 that was free a moment ago; another process could take it before the
     * test does, which on a test machine is rare enough.
     */
    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
