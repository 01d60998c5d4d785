package dev.anycastd.daemon.host;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.Problems;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Provider of check type {@code address}: healthy while an address is configured on a local
 * interface of the host (any, or the one named), as read with {@link java.net.NetworkInterface}
 * in anycastd's own network namespace. The configuration's {@code require-local = true} adds one
 * such check per prefix, for the prefix's address (a host route's address, or a network's
 * network address), and makes it a guard that must pass whatever {@code require} says; it can
 * also be listed as any check: {@code checks.address = [{ address = "203.0.113.53", interface = "lo" }]}.
 *
 * <p>Options: {@code address} (required; an address, or a prefix whose network address is
 * meant), {@code interface} (a name such as {@code lo}; default any), {@code name} (default
 * {@code local-address ADDRESS}), {@code interval} (default 1 s).
 */
public final class LocalAddressCheckProvider implements HealthCheckProvider {

    /** The type name configurations select this provider by. */
    public static final String TYPE = "address";

    /** How often the interfaces are read unless said otherwise: reading them costs microseconds. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** Linux interface names: at most 15 characters, no '/', no blanks. */
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

    /** Used by {@link java.util.ServiceLoader}. */
    public LocalAddressCheckProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> requiredOptions() {
        return List.of("address");
    }

    @Override
    public HealthCheck create(Options options) throws ConfigurationException {
        Problems problems = new Problems();
        problems.read(() -> {
            options.requireOnly("address", "interface", "name", "interval");
            return null;
        });
        IpPrefix prefix = problems.read(() -> options.getPrefix("address"));
        String interfaceName = problems.read(() -> interfaceName(options));
        Duration interval = problems.read(() -> options.getInterval("interval", DEFAULT_INTERVAL));
        String name = problems.read(() -> options.getString("name", null));
        problems.throwIfAny();
        String checkName = name != null ? name : defaultName(prefix);
        return new LocalAddressCheck(checkName, prefix.address(), interfaceName, interval, LocalAddressCheck::jdkAddresses);
    }

    /** {@code local-address 203.0.113.53}: the name of the check of a prefix's address. */
    public static String defaultName(IpPrefix prefix) {
        return "local-address " + prefix.address().getHostAddress();
    }

    private static String interfaceName(Options options) throws ConfigurationException {
        String value = options.getString("interface", null);
        if (value != null && !INTERFACE.matcher(value).matches()) {
            throw options.error("interface", Options.quote(value) + " is not an interface name; use up to 15 letters, digits,"
                    + " '-', '_', '.', ':' or '@', e.g. \"lo\"");
        }
        return value;
    }
}
