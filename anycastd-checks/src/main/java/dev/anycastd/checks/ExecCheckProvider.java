package dev.anycastd.checks;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.Problems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Check type {@code exec}: runs a program with arguments (no shell) and is healthy while it
 * exits 0.
 *
 * <pre>{@code
 * checks.exec = ["/usr/local/bin/check-dns"]                        # short form: the command
 * checks.exec = [{ command = "/usr/bin/dig", arguments = ["@127.0.0.1", "check.local"], name = "dig",
 *                  interval = "2s", timeout = "1s", environment = { LANG = "C" }, working-directory = "/var/lib/dns" }]
 * }</pre>
 *
 * <table>
 *   <caption>options of an exec check</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code command}</td><td>required</td><td>the program, as an absolute path</td></tr>
 *   <tr><td>{@code arguments}</td><td>none</td><td>a list of texts, passed as they are (no shell)</td></tr>
 *   <tr><td>{@code environment}</td><td>none</td><td>a table of variables set for the command, over anycastd's own</td></tr>
 *   <tr><td>{@code working-directory}</td><td>anycastd's</td><td>an absolute path of an existing directory</td></tr>
 *   <tr><td>{@code name}</td><td>the command's file name</td><td>the check's name in logs and status</td></tr>
 *   <tr><td>{@code interval}</td><td>5 s</td><td>how often it runs; at least 100 ms</td></tr>
 *   <tr><td>{@code timeout}</td><td>80 % of the interval, at most 10 s</td><td>bound on one run, after which the
 *       command and every process it started are killed; at most the interval</td></tr>
 * </table>
 *
 * <p>Verdicts: exit 0 is healthy; another exit code is unhealthy, with the start of the output;
 * a command that cannot start or is killed at its timeout is unknown. Output (stdout and stderr
 * together) is logged when the outcome changes. Thread-safe.
 */
public final class ExecCheckProvider implements HealthCheckProvider {

    private static final List<String> OPTIONS = List.of("command", "arguments", "environment", "working-directory", "name",
            "interval", "timeout");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The provider {@link java.util.ServiceLoader} builds. */
    public ExecCheckProvider() {
    }

    @Override
    public String type() {
        return "exec";
    }

    @Override
    public List<String> requiredOptions() {
        return List.of("command");
    }

    /** Builds the check; every wrong option is reported at once. */
    @Override
    public HealthCheck create(Options options) throws ConfigurationException {
        Problems problems = CheckBasics.knownOnly(options, OPTIONS);
        Path command = problems.read(() -> command(options));
        List<String> arguments = problems.read(() -> arguments(options));
        Map<String, String> environment = problems.read(() -> environment(options));
        Path workingDirectory = problems.read(() -> workingDirectory(options));
        CheckBasics basics = CheckBasics.read(options, problems, command == null || command.getFileName() == null ? "exec"
                : command.getFileName().toString());
        problems.throwIfAny();
        List<String> commandLine = new ArrayList<>();
        commandLine.add(command.toString());
        commandLine.addAll(arguments);
        return new ExecCheck(basics, commandLine, environment, workingDirectory);
    }

    private static Path command(Options options) throws ConfigurationException {
        Path command = options.getPath("command", null);
        if (command == null) {
            throw options.error("command", "required option \"command\" is missing");
        }
        if (!command.isAbsolute() || command.getFileName() == null) {
            throw options.error("command", Options.quote(command.toString()) + " is not an absolute path; give the full path of the program");
        }
        return command;
    }

    private static List<String> arguments(Options options) throws ConfigurationException {
        List<String> arguments = options.getStringList("arguments", List.of());
        for (String argument : arguments) {
            if (argument.indexOf('\0') >= 0) {
                throw options.error("arguments", Options.quote(argument) + " holds a NUL character, which no argument can carry");
            }
        }
        return arguments;
    }

    private static Map<String, String> environment(Options options) throws ConfigurationException {
        Object value = options.get("environment").orElse(null);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> table)) {
            throw options.error("environment", "expected a table of texts, e.g. { LANG = \"C\" }, got " + Options.describe(value));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : table.entrySet()) {
            String name = String.valueOf(entry.getKey());
            if (!VARIABLE.matcher(name).matches()) {
                throw options.error("environment", Options.quote(name) + " is not a variable name; use letters, digits and '_', "
                        + "not starting with a digit");
            }
            if (!(entry.getValue() instanceof String text) || text.indexOf('\0') >= 0) {
                throw options.error("environment", "the value of " + name + " is not text without NUL; got "
                        + Options.describe(entry.getValue()));
            }
            environment.put(name, text);
        }
        return environment;
    }

    private static Path workingDirectory(Options options) throws ConfigurationException {
        Path directory = options.getPath("working-directory", null);
        if (directory == null) {
            return null;
        }
        if (!directory.isAbsolute()) {
            throw options.error("working-directory", Options.quote(directory.toString()) + " is not an absolute path; give the full path");
        }
        if (!Files.isDirectory(directory)) {
            throw options.error("working-directory", Options.quote(directory.toString()) + " is not a directory; create it or fix the path");
        }
        return directory;
    }
}
