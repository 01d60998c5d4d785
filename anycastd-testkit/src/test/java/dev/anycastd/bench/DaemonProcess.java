package dev.anycastd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged daemon, run as operators run it: {@code bin/anycastd run --config FILE} from an
 * unpacked tarball, its output in a log file. Reads its CPU time and memory from {@code /proc}.
 */
final class DaemonProcess implements Watched, AutoCloseable {

    private final Process process;
    private final Path log;

    private DaemonProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Unpacks {@code tarball} into {@code directory} and answers the daemon's home (the directory holding bin/ and lib/). */
    static Path unpack(Path tarball, Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", directory.toString()).inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IOException("tar -xzf " + tarball + " exited with " + tar.exitValue());
        }
        try (var entries = Files.walk(directory, 3)) {
            return entries.filter(path -> path.endsWith(Path.of("bin", "anycastd"))).findFirst()
                    .orElseThrow(() -> new IOException(tarball + " holds no bin/anycastd")).getParent().getParent();
        }
    }

    /**
     * Starts {@code home/bin/anycastd run --config config}.
     *
     * @param jvmOptions {@code ANYCASTD_OPTS} for the launcher, or {@code null} to leave it unset
     */
    static DaemonProcess start(Path home, Path config, String jvmOptions, Path log) throws IOException {
        return start(home, config, jvmOptions, Map.of(), log);
    }

    /** {@link #start(Path, Path, String, Path)} with {@code variables} added to its environment (e.g. METRICS_LISTEN). */
    static DaemonProcess start(Path home, Path config, String jvmOptions, Map<String, String> variables, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/anycastd").toString(), "run", "--config", config.toString(),
                "--log-format", "json")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.remove("ANYCASTD_OPTS");
        environment.remove("JAVA_TOOL_OPTIONS");
        environment.put("STATE_DIRECTORY", log.resolveSibling("state").toString());
        // Not the default /run/anycastd/control.sock: a daemon of another benchmark or test may be answering there.
        environment.put("CONTROL_SOCKET", log.resolveSibling("control.sock").toString());
        if (jvmOptions != null) {
            environment.put("ANYCASTD_OPTS", jvmOptions);
        }
        environment.putAll(variables);
        return new DaemonProcess(builder.start(), log);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public String what() {
        return "the daemon";
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    /** CPU time of the daemon's own threads, and of the children it waited for (its vtysh processes). */
    ProcessStats.CpuTime cpuTime() throws IOException {
        return ProcessStats.cpuTime(pid());
    }

    /** A line of {@code /proc/PID/status} in KiB, e.g. {@code VmHWM} (peak resident set) or {@code VmRSS}. */
    long statusKiB(String key) throws IOException {
        return ProcessStats.statusKiB(pid(), key);
    }

    /** The JVM's command line without the class path: the options it really runs with. */
    String jvmCommandLine() throws IOException {
        String[] words = Files.readString(Path.of("/proc", Long.toString(pid()), "cmdline")).split("\0");
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            if (words[i].equals("-cp") || words[i].equals("-classpath")) {
                i++;
                continue;
            }
            shown.add(words[i]);
        }
        return String.join(" ", shown);
    }

    /** Sends SIGTERM. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the exit and answers the exit code, or -1 if it did not exit within {@code limit}. */
    int awaitExit(Duration limit) throws InterruptedException {
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** The last lines of its output, for reports of failures. */
    @Override
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Kills the daemon (SIGKILL, by its pid) if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
