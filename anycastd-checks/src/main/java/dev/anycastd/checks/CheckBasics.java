package dev.anycastd.checks;

import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.Problems;
import java.time.Duration;
import java.util.List;

/**
 * The options every check type of this module takes: its name, how often it runs and how long
 * one run may take.
 *
 * @param name the check's name, unique within its service
 * @param interval how often the check runs, at least {@link Options#MIN_INTERVAL}
 * @param timeout how long one run may take, at most the interval
 */
record CheckBasics(String name, Duration interval, Duration timeout) {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    static final Duration LONGEST_DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** The problems of {@code options}, starting with each option that is not in {@code known}. */
    static Problems knownOnly(Options options, List<String> known) {
        Problems problems = new Problems();
        problems.read(() -> {
            options.requireOnly(known);
            return null;
        });
        return problems;
    }

    /**
     * Reads {@code name} (default {@code defaultName}), {@code interval} and {@code timeout}, adding
     * each problem to {@code problems}; {@code null} when one of them is wrong.
     */
    static CheckBasics read(Options options, Problems problems, String defaultName) {
        String name = problems.read(() -> name(options, defaultName));
        Duration interval = problems.read(() -> options.getInterval("interval", DEFAULT_INTERVAL));
        Duration timeout = problems.read(() -> timeout(options, interval));
        return name == null || interval == null || timeout == null ? null : new CheckBasics(name, interval, timeout);
    }

    private static String name(Options options, String defaultName) throws ConfigurationException {
        String name = options.getString("name", defaultName);
        if (name == null || name.isBlank() || !Options.isPrintable(name)) {
            throw options.error("name", Options.quote(String.valueOf(name)) + " is not a check name; use printable text");
        }
        return name;
    }

    /**
     * The timeout: by default 80 % of the interval (at most 10 s), so that a run that times out
     * has ended before the next is due; a longer one than the interval is an error.
     */
    private static Duration timeout(Options options, Duration interval) throws ConfigurationException {
        if (interval == null) {
            return options.getDuration("timeout", null);
        }
        Duration fallback = interval.multipliedBy(4).dividedBy(5);
        if (fallback.compareTo(LONGEST_DEFAULT_TIMEOUT) > 0) {
            fallback = LONGEST_DEFAULT_TIMEOUT;
        }
        Duration timeout = options.getDuration("timeout", fallback);
        if (timeout.compareTo(interval) > 0) {
            throw options.error("timeout", Options.quote(Options.format(timeout)) + " is longer than the interval ("
                    + Options.format(interval) + "); a run must end before the next is due, so use at most the interval");
        }
        return timeout;
    }
}
