package dev.anycastd.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A stand-in for a service on a TCP port of {@code 127.0.0.1}: while up, it accepts every
 * connection and closes it at once, so that checks which connect see it healthy; {@link #stop()}
 * closes the listener (connections are then refused) and {@link #start()} listens on the same
 * port again. Only the benchmark's thread calls start and stop.
 */
final class TcpService implements AutoCloseable {

    private final int port;
    private volatile ServerSocket listener;

    private TcpService(int port) {
        this.port = port;
    }

    /** Listens on a free port. */
    static TcpService open() throws IOException {
        ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TcpService service = new TcpService(first.getLocalPort());
        service.serve(first);
        return service;
    }

    int port() {
        return port;
    }

    /** Listens again on the same port. */
    void start() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        serve(socket);
    }

    /** Closes the listener: from now on a connection to the port is refused. */
    void stop() throws IOException {
        ServerSocket socket = listener;
        if (socket != null) {
            socket.close();
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    private void serve(ServerSocket socket) {
        listener = socket;
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    // Accepted and closed: what a check that only connects needs.
                } catch (IOException closed) {
                    // stop() closed the listener; the loop ends.
                }
            }
        }, "bench-tcp-service-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }
}
