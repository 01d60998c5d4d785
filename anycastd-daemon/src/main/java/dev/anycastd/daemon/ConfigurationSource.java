package dev.anycastd.daemon;

import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Providers;
import java.nio.file.Path;
import java.util.List;

/** Reads a configuration file into services, building their prefixes and checks with the given providers. */
@FunctionalInterface
interface ConfigurationSource {

    /**
     * @throws ConfigurationException whose kind says whether the file is missing, unreadable,
     *     not TOML, not a valid configuration, or names a type no provider has
     */
    List<ServiceDefinition> load(Path file, Providers providers) throws ConfigurationException;
}
