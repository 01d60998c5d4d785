package dev.anycastd.checks;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.Problems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.nio.channels.AsynchronousChannelGroup;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Check type {@code tcp}: healthy while a TCP connection to an address is accepted.
 *
 * <pre>{@code
 * checks.tcp = ["127.0.0.1:53"]                                                  # short form: the address
 * checks.tcp = [{ address = "[2001:db8::53]:53", name = "dns", interval = "100ms", timeout = "80ms" }]
 * }</pre>
 *
 * <table>
 *   <caption>options of a tcp check</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code address}</td><td>required</td><td>{@code HOST:PORT}: an IPv4 address, an IPv6 address in brackets,
 *       or a host name (resolved at each run)</td></tr>
 *   <tr><td>{@code name}</td><td>the address</td><td>the check's name in logs and status</td></tr>
 *   <tr><td>{@code interval}</td><td>5 s</td><td>how often it connects; at least 100 ms</td></tr>
 *   <tr><td>{@code timeout}</td><td>80 % of the interval, at most 10 s</td><td>bound on one connect; at most the interval</td></tr>
 * </table>
 *
 * <p>Verdicts: accepted is healthy, refused is unhealthy, anything else (no answer within the
 * timeout, no route, a name that does not resolve) is unknown. Every check of one provider
 * connects through one asynchronous channel group with one thread, made at the first check, so
 * no check has a thread of its own and a waiting connect holds none. Thread-safe.
 */
public final class TcpCheckProvider implements HealthCheckProvider {

    private static final List<String> OPTIONS = List.of("address", "name", "interval", "timeout");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?");
    private static final String ADDRESS_HINT = "; use HOST:PORT, e.g. \"127.0.0.1:53\", \"[::1]:53\" or \"localhost:8080\"";

    /** Made at the first check; guarded by {@code this}. */
    private AsynchronousChannelGroup group;

    /** The provider {@link java.util.ServiceLoader} builds. */
    public TcpCheckProvider() {
    }

    @Override
    public String type() {
        return "tcp";
    }

    @Override
    public List<String> requiredOptions() {
        return List.of("address");
    }

    /** Builds the check; every wrong option is reported at once. */
    @Override
    public HealthCheck create(Options options) throws ConfigurationException {
        Problems problems = CheckBasics.knownOnly(options, OPTIONS);
        Endpoint endpoint = problems.read(() -> endpoint(options));
        CheckBasics basics = CheckBasics.read(options, problems, endpoint == null ? "tcp" : endpoint.text());
        problems.throwIfAny();
        return new TcpCheck(basics, endpoint.text(), endpoint.host(), endpoint.port(), group());
    }

    /** An address as written, and its parts. */
    private record Endpoint(String text, String host, int port) {
    }

    private static Endpoint endpoint(Options options) throws ConfigurationException {
        String text = options.getString("address");
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw options.error("address", Options.quote(text) + " has no port" + ADDRESS_HINT);
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw options.error("address", Options.quote(text) + " has no port from 1 to 65535" + ADDRESS_HINT);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (!isIpv6(host)) {
                throw options.error("address", Options.quote(text) + " has no IPv6 address in its brackets" + ADDRESS_HINT);
            }
        } else if (host.indexOf(':') >= 0) {
            throw options.error("address", Options.quote(text) + " has an IPv6 address without brackets" + ADDRESS_HINT);
        } else if (!HOST_NAME.matcher(host).matches()) {
            throw options.error("address", Options.quote(text) + " does not start with an IP address or host name" + ADDRESS_HINT);
        }
        return new Endpoint(text, host, Integer.parseInt(port));
    }

    private static boolean isIpv6(String host) {
        try {
            return host.indexOf('/') < 0 && IpPrefix.parse(host).address() instanceof Inet6Address;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private synchronized AsynchronousChannelGroup group() {
        if (group == null) {
            try {
                group = AsynchronousChannelGroup.withFixedThreadPool(1, runnable -> {
                    Thread thread = new Thread(runnable, "anycastd-tcp-checks");
                    thread.setDaemon(true);
                    return thread;
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the channel group tcp checks connect through", e);
            }
        }
        return group;
    }
}
