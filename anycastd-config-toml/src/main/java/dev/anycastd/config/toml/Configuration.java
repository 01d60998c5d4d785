package dev.anycastd.config.toml;

import dev.anycastd.core.service.ServiceDefinition;
import java.util.List;
import java.util.Objects;

/**
 * What one configuration file says: its services, in the order it names them, and the
 * daemon-wide settings at its top level.
 */
public record Configuration(List<ServiceDefinition> services, DaemonSettings settings) {

    /** Copies the list. */
    public Configuration {
        services = List.copyOf(services);
        Objects.requireNonNull(settings, "settings");
    }
}
