package dev.anycastd.checks;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Healthy when a TCP connection to one address is accepted within the timeout; the connection is
 * closed at once. A refused connection is unhealthy (nothing listens: the service is down); no
 * answer within the timeout, no route, or a host name that does not resolve is unknown. The
 * connect is asynchronous, on the provider's one channel group, so a run holds no thread while it
 * waits. A host name is resolved at each run, on the runtime's worker that starts it.
 */
final class TcpCheck implements HealthCheck {

    private final CheckBasics basics;
    private final String address;
    private final String host;
    private final int port;
    private final AsynchronousChannelGroup group;
    private final CheckOutcomes outcomes;

    TcpCheck(CheckBasics basics, String address, String host, int port, AsynchronousChannelGroup group) {
        this.basics = basics;
        this.address = address;
        this.host = host;
        this.port = port;
        this.group = group;
        this.outcomes = new CheckOutcomes(basics.name(), describe());
    }

    @Override
    public String name() {
        return basics.name();
    }

    /** {@code tcp web 127.0.0.1:8080}, or {@code tcp 127.0.0.1:8080} when the name is the address. */
    @Override
    public String describe() {
        return "tcp " + (basics.name().equals(address) ? address : basics.name() + " " + address);
    }

    @Override
    public Duration interval() {
        return basics.interval();
    }

    @Override
    public Duration timeout() {
        return basics.timeout();
    }

    @Override
    public Health check() {
        return Waiting.forResult(checkAsync());
    }

    @Override
    public CompletionStage<Health> checkAsync() {
        InetSocketAddress target = new InetSocketAddress(host, port);
        if (target.isUnresolved()) {
            return done(Health.unknown("cannot resolve " + host));
        }
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open(group);
        } catch (IOException e) {
            return done(Health.unknown("cannot open a socket: " + e.getMessage()));
        }
        CompletableFuture<Health> result = new CompletableFuture<>();
        // However the run ends (connected, failed, timed out, cancelled by the runtime), the socket is closed.
        result.whenComplete((health, error) -> {
            close(channel);
            if (health != null) {
                outcomes.record(health, "");
            }
        });
        result.completeOnTimeout(Health.unknown("no connection to " + address + " within " + basics.timeout().toMillis() + " ms"),
                basics.timeout().toNanos(), TimeUnit.NANOSECONDS);
        try {
            channel.connect(target, result, connected);
        } catch (RuntimeException e) {
            // The group was shut down, or the address cannot be used by this socket.
            result.complete(Health.unknown("cannot connect to " + address + ": " + e));
        }
        return result;
    }

    private CompletableFuture<Health> done(Health health) {
        outcomes.record(health, "");
        return CompletableFuture.completedFuture(health);
    }

    /** What a failed connect means: refused is unhealthy, everything else unknown. */
    static Health verdict(Throwable error, String address) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (error instanceof ConnectException && message.toLowerCase(Locale.ROOT).contains("refused")) {
            return Health.unhealthy("connection to " + address + " refused");
        }
        return Health.unknown("cannot connect to " + address + ": " + message);
    }

    private static void close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a socket that connected or failed has no outcome worth a verdict.
        }
    }

    /** Completes the run's future with the connect's outcome; one per check, it holds no state of a run. */
    private final CompletionHandler<Void, CompletableFuture<Health>> connected = new CompletionHandler<>() {
        @Override
        public void completed(Void nothing, CompletableFuture<Health> result) {
            result.complete(Health.healthy());
        }

        @Override
        public void failed(Throwable error, CompletableFuture<Health> result) {
            result.complete(verdict(error, address));
        }
    };
}
