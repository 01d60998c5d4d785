package dev.anycastd.testkit.plugin;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A fake health check, type {@code file-check}: healthy while a file exists, unhealthy
 * otherwise. Options: {@code name} (required), {@code file} (required), {@code interval}
 * (default 1 s), {@code timeout} (default: the interval).
 */
public final class FileCheckProvider implements HealthCheckProvider {

    /** The type name configurations select this fake by. */
    public static final String TYPE = "file-check";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> requiredOptions() {
        return List.of("name");
    }

    @Override
    public HealthCheck create(Options options) throws ConfigurationException {
        options.requireOnly("name", "file", "interval", "timeout");
        String name = options.getString("name");
        Path file = options.getPath("file", null);
        if (file == null) {
            throw options.error("file", "required option \"file\" is missing; give the file whose existence means healthy");
        }
        Duration interval = options.getDuration("interval", Duration.ofSeconds(1));
        // A test's fast interval need not mean a tight timeout: on a loaded machine a run may wait for a thread.
        Duration timeout = options.getDuration("timeout", interval);
        return new FileCheck(name, file, interval, timeout);
    }

    /** Healthy while {@code file} exists. */
    record FileCheck(String name, Path file, Duration interval, Duration timeout) implements HealthCheck {
        @Override
        public Health check() {
            return Files.exists(file) ? Health.healthy() : Health.unhealthy(file + " does not exist");
        }
    }
}
