package dev.anycastd.checks;

import dev.anycastd.core.check.Health;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Runs a command (no shell); healthy on exit 0, unhealthy with the exit code and the start of its
 * output otherwise, unknown when it cannot be started or outlives its timeout: then it is killed
 * with every process it started ({@link ProcessTree}). Its output (stdout and stderr together) is
 * logged when the outcome changes, not at every run.
 *
 * <p>Output goes to a file rather than a pipe, so a command that writes a lot cannot block on a
 * full pipe and one that hangs holds no reader. The run waits for the process without a worker
 * thread ({@link Process#onExit()}).
 */
final class ExecCheck extends InProcessCheck {

    /** How much of the output is kept for the reason and the log. */
    static final int OUTPUT_LIMIT = 512;

    private final List<String> command;
    private final Map<String, String> environment;
    private final Path workingDirectory;

    ExecCheck(CheckBasics basics, List<String> command, Map<String, String> environment, Path workingDirectory) {
        // exec dig running /usr/bin/dig @127.0.0.1 check.local
        super(basics, "exec " + basics.name() + " running " + String.join(" ", command));
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.workingDirectory = workingDirectory;
    }

    /** The working directory and the names (never the values) of the environment variables set. */
    @Override
    public List<String> settings() {
        List<String> settings = new java.util.ArrayList<>();
        if (workingDirectory != null) {
            settings.add("working-directory " + workingDirectory);
        }
        if (!environment.isEmpty()) {
            settings.add("environment " + String.join(",", new java.util.TreeSet<>(environment.keySet())));
        }
        return List.copyOf(settings);
    }

    @Override
    public CompletionStage<Health> checkAsync() {
        Path output;
        try {
            output = Files.createTempFile("anycastd-exec-", ".out");
        } catch (IOException e) {
            return Run.ended(outcomes, Health.unknown("cannot create a file for the output of " + command.get(0) + ": " + e.getMessage()));
        }
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            delete(output);
            return Run.ended(outcomes, Health.unknown("cannot run " + command.get(0) + ": " + e.getMessage()));
        }
        // However the run ends (exit, timeout, cancelled by the runtime): no process of it is left, nor its file.
        Run run = new Run(outcomes, timeout(),
                () -> Health.unknown(command.get(0) + " did not finish within " + timeout().toMillis() + " ms and was killed"),
                () -> {
                    if (process.isAlive()) {
                        ProcessTree.kill(process.toHandle());
                    }
                    String text = head(output);
                    delete(output);
                    return text;
                });
        process.onExit().thenAccept(exited -> {
            int exit = exited.exitValue();
            run.end(exit == 0 ? Health.healthy() : Health.unhealthy(command.get(0) + " exited " + exit + summary(head(output))));
        });
        return run.future();
    }

    private static String summary(String output) {
        return output.isEmpty() ? "" : ": " + output;
    }

    private static String head(Path output) {
        try (InputStream in = Files.newInputStream(output)) {
            byte[] bytes = in.readNBytes(OUTPUT_LIMIT);
            return new String(bytes, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "";
        }
    }

    private static void delete(Path output) {
        try {
            Files.deleteIfExists(output);
        } catch (IOException e) {
            // A leftover temporary file is harmless; the verdict stands.
        }
    }
}
