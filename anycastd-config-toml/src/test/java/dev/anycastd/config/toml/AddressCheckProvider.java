package dev.anycastd.config.toml;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Options;
import java.time.Duration;
import java.util.List;

/**
 * Test double for the daemon's {@code address} provider: the same options and default name,
 * building {@link AddressCheck} records that never read an interface.
 */
final class AddressCheckProvider implements HealthCheckProvider {

    /** What the configuration asked for. */
    record AddressCheck(String name, String address, String interfaceName) implements HealthCheck {
        @Override
        public Duration interval() {
            return Duration.ofSeconds(1);
        }

        @Override
        public Health check() {
            throw new UnsupportedOperationException("a configuration record, not a check");
        }
    }

    @Override
    public String type() {
        return "address";
    }

    @Override
    public List<String> requiredOptions() {
        return List.of("address");
    }

    @Override
    public HealthCheck create(Options options) throws ConfigurationException {
        options.requireOnly("address", "interface", "name", "interval");
        String address = options.getPrefix("address").address().getHostAddress();
        String interfaceName = options.getString("interface", null);
        if (interfaceName != null && !interfaceName.matches("[A-Za-z0-9_.:@-]{1,15}")) {
            throw options.error("interface", Options.quote(interfaceName) + " is not an interface name");
        }
        return new AddressCheck(options.getString("name", "local-address " + address), address, interfaceName);
    }
}
