package dev.anycastd.daemon;

import dev.anycastd.config.toml.Configuration;
import dev.anycastd.config.toml.DaemonSettings;
import dev.anycastd.config.toml.TomlConfiguration;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Providers;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a configuration file into services, building their prefixes and checks with the given
 * providers, and into the daemon-wide settings it gives.
 */
@FunctionalInterface
interface ConfigurationSource {

    /** The TOML configuration file, services and settings. */
    ConfigurationSource TOML = new ConfigurationSource() {
        @Override
        public List<ServiceDefinition> load(Path file, Providers providers) throws ConfigurationException {
            return TomlConfiguration.load(file, providers);
        }

        @Override
        public Configuration read(Path file, Providers providers) throws ConfigurationException {
            return TomlConfiguration.read(file, providers);
        }
    };

    /**
     * @throws ConfigurationException whose kind says whether the file is missing, unreadable,
     *     not TOML, not a valid configuration, or names a type no provider has
     */
    List<ServiceDefinition> load(Path file, Providers providers) throws ConfigurationException;

    /**
     * The services with the file's daemon-wide settings; a source that has no settings (one in
     * a test) gives {@link DaemonSettings#NONE}.
     *
     * @throws ConfigurationException as {@link #load} does
     */
    default Configuration read(Path file, Providers providers) throws ConfigurationException {
        return new Configuration(load(file, providers), DaemonSettings.NONE);
    }
}
