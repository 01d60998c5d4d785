package dev.anycastd.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged launcher run as a process, its standard output and error kept in files. */
final class LauncherProcess {

    final Process process;
    private final Path out;
    private final Path err;

    private LauncherProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code launcher args...} with this JVM's Java as JAVA_HOME, plus {@code environment}. */
    static LauncherProcess start(Path launcher, Path workDirectory, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDirectory, "out", ".txt");
        Path err = Files.createTempFile(workDirectory, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().keySet().removeAll(List.of("CONFIG", "LOG_LEVEL", "LOG_FORMAT", "NO_COLOR", "ANYCASTD_OPTS"));
        // Never the machine's /var/lib/anycastd: each test's daemon keeps its state in its own directory.
        builder.environment().put("STATE_DIRECTORY", workDirectory.resolve("state").toString());
        // Nor the machine's /run/anycastd: each test's daemon listens on a control socket of its own.
        builder.environment().put("RUNTIME_DIRECTORY", workDirectory.resolve("run").toString());
        builder.environment().putAll(environment);
        return new LauncherProcess(builder.start(), out, err);
    }

    /** Runs to the end (at most a minute) and answers the exit code. */
    int waitFor() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not exit within a minute; output so far: " + out() + err());
        }
        return process.exitValue();
    }

    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
