package dev.anycastd.checks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Local TCP endpoints in the states a check meets: listening, closed, and silent. */
final class Listeners {

    private Listeners() {
    }

    /** A port on 127.0.0.1 where nothing listens now (a connection to it is refused). */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A listener that never accepts and whose queue is full, so a new connection gets no answer
     * at all (Linux drops the SYN) until it is closed: what a hung host looks like.
     */
    static final class Silent implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> fillers = new ArrayList<>();

        Silent() throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            // The accept queue holds backlog + 1 connections; a few more fill the SYN side too.
            for (int i = 0; i < 3; i++) {
                Socket filler = new Socket();
                try {
                    filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 200);
                    fillers.add(filler);
                } catch (IOException e) {
                    filler.close();
                    break;
                }
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (Socket filler : fillers) {
                filler.close();
            }
            server.close();
        }
    }
}
