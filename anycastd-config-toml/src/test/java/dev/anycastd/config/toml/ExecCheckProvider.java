package dev.anycastd.config.toml;

import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Options;
import java.util.ArrayList;
import java.util.List;

/**
 * Test double for a check type with two required options ({@code name} and {@code command}),
 * so the short form does not apply. Accepts an {@code env} table of any values and keeps every
 * {@link Options} it was given. Builds {@link TestCheck} records; never runs anything.
 */
final class ExecCheckProvider implements HealthCheckProvider {

    private final List<Options> received = new ArrayList<>();

    @Override
    public String type() {
        return "exec";
    }

    @Override
    public List<String> requiredOptions() {
        return List.of("name", "command");
    }

    @Override
    public TestCheck create(Options options) throws ConfigurationException {
        received.add(options);
        options.requireOnly("name", "command", "env", "interval");
        options.getStringList("command", null);
        if (!options.has("command")) {
            throw options.error("command", "required option \"command\" is missing");
        }
        return new TestCheck(options.getString("name"), options.getDuration("interval", TestCheck.DEFAULT_INTERVAL),
                TestCheck.DEFAULT_URL);
    }

    /** The options of every item, in the order they were built. */
    List<Options> received() {
        return received;
    }
}
