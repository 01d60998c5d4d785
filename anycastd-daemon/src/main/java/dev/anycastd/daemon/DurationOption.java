package dev.anycastd.daemon;

import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;

/** Reads a duration option as the configuration reads durations: {@code 90s}, {@code 30m}, {@code 2h}, {@code PT1H}, {@code 5}. */
final class DurationOption implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Options.of("duration", Map.of("duration", value)).getDuration("duration", null);
        } catch (ConfigurationException e) {
            // The message without the key path: picocli names the option itself.
            throw new CommandLine.TypeConversionException(e.problems().get(0).message());
        }
    }
}
