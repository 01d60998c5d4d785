package dev.anycastd.examples.exec;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Options;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Check type {@code exec}: runs a program with arguments (no shell) and is healthy when it
 * exits 0.
 *
 * <pre>{@code
 * checks.exec = ["/usr/local/bin/check-dns"]                        # short form: the command
 * checks.exec = [{ command = "/usr/bin/dig", arguments = ["@127.0.0.1", "check.local"],
 *                  name = "dig", interval = "2s", timeout = "1s" }]
 * }</pre>
 *
 * <p>Options: {@code command} (required, an absolute path), {@code arguments} (list of text),
 * {@code name} (default: the command's file name), {@code interval} (default 5 s, at least 100 ms),
 * {@code timeout} (default: the interval, at most 10 s; must not exceed the interval).
 */
public final class ExecCheckProvider implements HealthCheckProvider {

    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    private static final Duration LONGEST_DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    @Override
    public String type() {
        return "exec";
    }

    @Override
    public List<String> requiredOptions() {
        return List.of("command");
    }

    @Override
    public HealthCheck create(Options options) throws ConfigurationException {
        options.requireOnly("command", "arguments", "name", "interval", "timeout");
        Path command = options.getPath("command", null);
        if (command == null) {
            throw options.error("command", "required option \"command\" is missing");
        }
        if (!command.isAbsolute()) {
            throw options.error("command", "\"" + command + "\" is not an absolute path; give the full path of the program");
        }
        List<String> arguments = options.getStringList("arguments", List.of());
        String name = options.getString("name", command.getFileName().toString());
        if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
            throw options.error("name", "\"" + name + "\" is not a printable check name");
        }
        Duration interval = options.getInterval("interval", DEFAULT_INTERVAL);
        Duration timeout = options.getDuration("timeout",
                interval.compareTo(LONGEST_DEFAULT_TIMEOUT) < 0 ? interval : LONGEST_DEFAULT_TIMEOUT);
        if (timeout.compareTo(interval) > 0) {
            throw options.error("timeout", timeout.toMillis() + " ms is longer than the interval (" + interval.toMillis()
                    + " ms); a run must end before the next one starts");
        }
        List<String> commandLine = new ArrayList<>();
        commandLine.add(command.toString());
        commandLine.addAll(arguments);
        return new ExecCheck(name, commandLine, interval, timeout);
    }
}
