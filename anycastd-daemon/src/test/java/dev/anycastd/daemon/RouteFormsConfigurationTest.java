package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.anycastd.config.toml.TomlConfiguration;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Providers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The TOML reader's route-map keys with the real {@code frrouting} provider, whose prefixes carry
 * route-maps: what the reader can only tell with a real prefix type.
 */
class RouteFormsConfigurationTest {

    private static final Path FILE = Path.of("/etc/anycastd/config.toml");

    @Test
    void aWhenDownRouteMapThatIsThePrefixsOwnRouteMapIsRefusedAtItsLine() {
        ConfigurationException error = failure("""
                [services.dns]
                prefixes.frrouting = [{ prefix = "203.0.113.53", route-map = "ANYCAST" }]
                checks.cabourotte = ["dns"]
                when-down = { route-map = "ANYCAST" }
                """);

        assertThat(error.getMessage()).isEqualTo(FILE + ":4:15: services.dns.when-down.route-map: \"ANYCAST\" is the route-map"
                + " services.dns.prefixes.frrouting[0] is announced through already, so when down it would be announced unchanged;"
                + " name a route-map that makes it a last resort");
    }

    @Test
    void aDrainRouteMapFrrWouldNotAcceptIsRefusedWithFrrsRule() {
        ConfigurationException error = failure("""
                drain-hold = "30s"
                drain-route-map = "GSHUT;reboot"

                [services.dns]
                prefixes.frrouting = ["203.0.113.53"]
                checks.cabourotte = ["dns"]
                """);

        assertThat(error.getMessage()).isEqualTo(FILE + ":2:1: drain-route-map: \"GSHUT;reboot\" is not a route-map name;"
                + " use letters, digits, '-', '_', '.'");
    }

    private ConfigurationException failure(String toml) {
        return catchThrowableOfType(ConfigurationException.class,
                () -> TomlConfiguration.parse(toml, FILE, Providers.load(getClass().getClassLoader())));
    }
}
