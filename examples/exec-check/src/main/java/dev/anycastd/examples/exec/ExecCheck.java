package dev.anycastd.examples.exec;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command; healthy on exit 0, unhealthy with the exit code and the start of its output
 * otherwise, unknown when it cannot be started or outlives its timeout (then it is killed,
 * with its children).
 *
 * <p>Output goes to a file rather than a pipe, so a command that writes a lot cannot block on
 * a full pipe and one that hangs cannot hold the reader past the timeout.
 */
final class ExecCheck implements HealthCheck {

    /** How much of the command's output is kept for the reason. */
    private static final int OUTPUT_LIMIT = 512;

    private final String name;
    private final List<String> command;
    private final Duration interval;
    private final Duration timeout;

    ExecCheck(String name, List<String> command, Duration interval, Duration timeout) {
        this.name = name;
        this.command = List.copyOf(command);
        this.interval = interval;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return name;
    }

    /** {@code exec dig running /usr/bin/dig @127.0.0.1 check.local}, for check-config and logs. */
    @Override
    public String describe() {
        return "exec " + name + " running " + String.join(" ", command);
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Health check() {
        Path output;
        try {
            output = Files.createTempFile("anycastd-exec-", ".out");
        } catch (IOException e) {
            return Health.unknown("cannot create a file for the output of " + command.get(0) + ": " + e.getMessage());
        }
        try {
            return run(output);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // A leftover temporary file is harmless; the verdict stands.
            }
        }
    }

    private Health run(Path output) {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            return Health.unknown("cannot run " + command.get(0) + ": " + e.getMessage());
        }
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(process);
                return Health.unknown(command.get(0) + " did not finish within " + timeout.toMillis() + " ms and was killed");
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            return Health.unknown(command.get(0) + " was interrupted and killed");
        }
        int exit = process.exitValue();
        if (exit == 0) {
            return Health.healthy();
        }
        String text = head(output);
        return Health.unhealthy(command.get(0) + " exited " + exit + (text.isEmpty() ? "" : ": " + text));
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String head(Path output) {
        try (InputStream in = Files.newInputStream(output)) {
            byte[] bytes = in.readNBytes(OUTPUT_LIMIT);
            return new String(bytes, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}
