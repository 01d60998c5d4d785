package dev.anycastd.checks;

import dev.anycastd.core.check.Health;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * Healthy when a TCP connection to one address is accepted within the timeout; the connection is
 * closed at once. A refused connection is unhealthy (nothing listens: the service is down); no
 * answer within the timeout, no route, or a host name that does not resolve is unknown. The
 * connect is asynchronous, on the provider's one channel group, so a run holds no thread while it
 * waits. A host name is resolved at each run, on the runtime's worker that starts it.
 */
final class TcpCheck extends InProcessCheck {

    private final String address;
    private final String host;
    private final int port;
    private final AsynchronousChannelGroup group;

    TcpCheck(CheckBasics basics, String address, String host, int port, AsynchronousChannelGroup group) {
        // tcp web 127.0.0.1:8080, or tcp 127.0.0.1:8080 when the name is the address
        super(basics, "tcp " + (basics.name().equals(address) ? address : basics.name() + " " + address));
        this.address = address;
        this.host = host;
        this.port = port;
        this.group = group;
    }

    @Override
    public CompletionStage<Health> checkAsync() {
        InetSocketAddress target = new InetSocketAddress(host, port);
        if (target.isUnresolved()) {
            return Run.ended(outcomes, Health.unknown("cannot resolve " + host));
        }
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open(group);
        } catch (IOException e) {
            return Run.ended(outcomes, Health.unknown("cannot open a socket: " + e.getMessage()));
        }
        // However the run ends (connected, failed, timed out, cancelled by the runtime), the socket is closed.
        Run run = new Run(outcomes, timeout(),
                () -> Health.unknown("no connection to " + address + " within " + timeout().toMillis() + " ms"),
                () -> close(channel));
        try {
            channel.connect(target, run, connected);
        } catch (RuntimeException e) {
            // The group was shut down, or the address cannot be used by this socket.
            run.end(Health.unknown("cannot connect to " + address + ": " + e));
        }
        return run.future();
    }

    /** What a failed connect means: refused is unhealthy, everything else unknown. */
    static Health verdict(Throwable error, String address) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (error instanceof ConnectException && message.toLowerCase(Locale.ROOT).contains("refused")) {
            return Health.unhealthy("connection to " + address + " refused");
        }
        return Health.unknown("cannot connect to " + address + ": " + message);
    }

    private static String close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a socket that connected or failed has no outcome worth a verdict.
        }
        return "";
    }

    /** Ends the run with the connect's outcome; one per check, it holds no state of a run. */
    private final CompletionHandler<Void, Run> connected = new CompletionHandler<>() {
        @Override
        public void completed(Void nothing, Run run) {
            run.end(Health.healthy());
        }

        @Override
        public void failed(Throwable error, Run run) {
            run.end(verdict(error, address));
        }
    };
}
