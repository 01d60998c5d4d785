package dev.anycastd.config.toml;

import dev.anycastd.core.spi.Options;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The daemon-wide settings a configuration file may give at its top level, next to
 * {@code [services...]}; each is empty when the file does not set it. A command-line option or
 * an environment variable of the daemon overrides the file's value.
 *
 * <pre>{@code
 * metrics-listen = "127.0.0.1:9108"
 * control-socket = "/run/anycastd/control.sock"
 * shutdown-timeout = "30s"
 * }</pre>
 *
 * @param metricsListen where to serve Prometheus metrics ({@code metrics-listen}, {@code HOST:PORT})
 * @param controlSocket the control socket's absolute path ({@code control-socket})
 * @param shutdownTimeout how long withdrawing every prefix may take at exit ({@code shutdown-timeout})
 */
public record DaemonSettings(Optional<InetSocketAddress> metricsListen, Optional<Path> controlSocket,
        Optional<Duration> shutdownTimeout) {

    /** No setting given: every one is the daemon's default. */
    public static final DaemonSettings NONE = new DaemonSettings(Optional.empty(), Optional.empty(), Optional.empty());

    /** The keys, as written in the file. */
    static final String METRICS_LISTEN = "metrics-listen";
    static final String CONTROL_SOCKET = "control-socket";
    static final String SHUTDOWN_TIMEOUT = "shutdown-timeout";

    /** Requires every component (each may be empty); a control socket must be an absolute path. */
    public DaemonSettings {
        Objects.requireNonNull(metricsListen, "metricsListen");
        Objects.requireNonNull(controlSocket, "controlSocket");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (controlSocket.isPresent() && !controlSocket.get().isAbsolute()) {
            throw new IllegalArgumentException("controlSocket: " + controlSocket.get() + " is not an absolute path");
        }
        if (shutdownTimeout.isPresent() && (shutdownTimeout.get().isNegative() || shutdownTimeout.get().isZero())) {
            throw new IllegalArgumentException("shutdownTimeout: " + shutdownTimeout.get() + " is not positive");
        }
    }

    /** Whether the file sets none of them. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /** The keys whose values differ between these settings and {@code other}, in file order: {@code [metrics-listen]}. */
    public List<String> keysChangedFrom(DaemonSettings other) {
        List<String> changed = new ArrayList<>();
        if (!metricsListen.equals(other.metricsListen)) {
            changed.add(METRICS_LISTEN);
        }
        if (!controlSocket.equals(other.controlSocket)) {
            changed.add(CONTROL_SOCKET);
        }
        if (!shutdownTimeout.equals(other.shutdownTimeout)) {
            changed.add(SHUTDOWN_TIMEOUT);
        }
        return List.copyOf(changed);
    }

    /**
     * The settings given, one line each, as they are written in the file:
     * {@code metrics-listen = "127.0.0.1:9108"}; nothing when none is given.
     */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        metricsListen.ifPresent(address -> lines.add(METRICS_LISTEN + " = \"" + hostAndPort(address) + "\""));
        controlSocket.ifPresent(path -> lines.add(CONTROL_SOCKET + " = \"" + path + "\""));
        shutdownTimeout.ifPresent(timeout -> lines.add(SHUTDOWN_TIMEOUT + " = \"" + Options.format(timeout)
                + "\""));
        return List.copyOf(lines);
    }

    /**
     * Reads {@code HOST:PORT} for a listener: {@code 127.0.0.1:9108}, {@code [::1]:9108},
     * {@code localhost:9108} (a name is resolved now).
     *
     * @throws IllegalArgumentException saying what is wrong and what to write instead
     */
    public static InetSocketAddress parseListenAddress(String value) {
        String text = value.strip();
        URI uri;
        try {
            uri = new URI("http://" + text);
        } catch (URISyntaxException e) {
            throw notHostAndPort(value);
        }
        if (uri.getHost() == null || uri.getPort() < 0 || uri.getPort() > 65535 || !("http://" + text).equals("http://"
                + uri.getRawAuthority()) || uri.getRawUserInfo() != null) {
            throw notHostAndPort(value);
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        InetSocketAddress address = new InetSocketAddress(host, uri.getPort());
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("\"" + value + "\": cannot resolve host \"" + host + "\"");
        }
        return address;
    }

    /** {@code HOST:PORT} as {@link #parseListenAddress} reads it back, brackets around an IPv6 address. */
    static String hostAndPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static IllegalArgumentException notHostAndPort(String value) {
        return new IllegalArgumentException("\"" + value + "\" is not HOST:PORT; use e.g. \"127.0.0.1:9108\" or \"[::1]:9108\"");
    }
}
