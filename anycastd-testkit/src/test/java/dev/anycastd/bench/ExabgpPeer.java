package dev.anycastd.bench;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.testkit.frr.FrrLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * ExaBGP 4.2 (Debian's {@code exabgp} package) with its {@code healthcheck} program, as an
 * operator runs them, peering with the lab's upstream router from {@link FrrLab#addSpeaker}: the
 * benchmark's other contestant.
 *
 * <p>ExaBGP itself runs in the lab's host namespace, where its BGP session is. Its healthcheck
 * runs in the benchmark's own network namespace (entered with {@code nsenter}), where anycastd
 * and what both check run, so a check command reaches the same {@code 127.0.0.1} as anycastd's
 * checks. It announces one prefix ({@code next-hop self}) and withdraws it when its command
 * fails ({@code --withdraw-on-down}, rise and fall 1 as anycastd's defaults). ExaBGP runs as
 * root without dropping privileges (nsenter needs them) and without its CLI pipes; every other
 * setting is Debian's default.
 */
final class ExabgpPeer implements Watched, AutoCloseable {

    private static final Path EXABGP = Path.of("/usr/sbin/exabgp");
    private static final Path HEALTHCHECK = Path.of("/usr/bin/exabgp-healthcheck");
    private static final Path NSENTER = Path.of("/usr/bin/nsenter");

    private final Process exabgp;
    private final long healthcheck;
    private final Path log;

    private ExabgpPeer(Process exabgp, long healthcheck, Path log) {
        this.exabgp = exabgp;
        this.healthcheck = healthcheck;
        this.log = log;
    }

    /**
     * What ExaBGP's healthcheck is told to do.
     *
     * @param prefix the one prefix it announces while {@code command} succeeds
     * @param command a shell command, run in the benchmark's network namespace
     * @param interval how long it sleeps after each check (it accepts fractions of a second)
     * @param timeoutSeconds how long a check may take (whole seconds, at least 1)
     */
    record Healthcheck(IpPrefix prefix, String command, Duration interval, int timeoutSeconds) {
    }

    /** Why ExaBGP cannot run here, or empty when it can. */
    static Optional<String> unavailableReason() {
        for (Path program : List.of(EXABGP, HEALTHCHECK)) {
            if (!Files.isExecutable(program)) {
                return Optional.of(program + " is missing; install Debian's exabgp package (apt-get install exabgp)");
            }
        }
        if (!Files.isExecutable(NSENTER)) {
            return Optional.of(NSENTER + " is missing; install util-linux");
        }
        return Optional.empty();
    }

    /**
     * Starts ExaBGP in {@code peering}'s namespace with one healthcheck, its files in {@code directory};
     * returns once the healthcheck runs. The route is announced once the session is up and the first check passed.
     */
    static ExabgpPeer start(FrrLab.SpeakerPeering peering, Healthcheck check, Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        // A configuration file of healthcheck's own keeps the command out of ExaBGP's `run` line and its quoting.
        Path checkConfig = Files.writeString(directory.resolve("healthcheck.conf"), String.join("\n",
                "no-syslog",
                "name = bench",
                "interval = " + seconds(check.interval()),
                "fast-interval = " + seconds(check.interval()),
                "timeout = " + check.timeoutSeconds(),
                "rise = 1",
                "fall = 1",
                "withdraw-on-down",
                "no-ip-setup",
                "ip = " + check.prefix(),
                "command = " + check.command(),
                ""));
        Path config = Files.writeString(directory.resolve("exabgp.conf"), String.join("\n",
                "process healthcheck {",
                "    run " + NSENTER + " --net=/proc/" + ProcessHandle.current().pid() + "/ns/net " + HEALTHCHECK + " --config "
                        + checkConfig + ";",
                "    encoder text;",
                "}",
                "neighbor " + peering.peerAddress() + " {",
                "    router-id " + peering.localAddress() + ";",
                "    local-address " + peering.localAddress() + ";",
                "    local-as " + peering.localAsn() + ";",
                "    peer-as " + peering.peerAsn() + ";",
                "    api { processes [ healthcheck ]; }",
                "}",
                ""));
        Path log = directory.resolve("exabgp.log");
        // `ip netns exec` execs ExaBGP, so this process is ExaBGP itself.
        ProcessBuilder builder = new ProcessBuilder("ip", "netns", "exec", peering.namespace(), EXABGP.toString(), config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("exabgp_daemon_user", "root");
        builder.environment().put("exabgp_daemon_drop", "false");
        builder.environment().put("exabgp_api_cli", "false");
        builder.environment().put("exabgp_log_destination", "stdout");
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            // ExaBGP has other short-lived children at start (uname, for its banner).
            Optional<ProcessHandle> child = process.children().filter(ExabgpPeer::isHealthcheck).findFirst();
            if (child.isPresent()) {
                return new ExabgpPeer(process, child.get().pid(), log);
            }
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                throw new IOException("ExaBGP did not start its healthcheck within 30 s; its log " + log + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            Thread.sleep(10);
        }
    }

    @Override
    public String what() {
        return "ExaBGP";
    }

    @Override
    public boolean isAlive() {
        return exabgp.isAlive() && ProcessHandle.of(healthcheck).map(ProcessHandle::isAlive).orElse(false);
    }

    /** CPU time of ExaBGP and its healthcheck together; their children are the healthcheck's check commands. */
    ProcessStats.CpuTime cpuTime() throws IOException {
        return ProcessStats.cpuTime(exabgp.pid()).plus(ProcessStats.cpuTime(healthcheck));
    }

    /** A {@code /proc/PID/status} line of ExaBGP and its healthcheck, summed, in KiB (e.g. {@code VmHWM}). */
    long statusKiB(String key) throws IOException {
        return ProcessStats.statusKiB(exabgp.pid(), key) + ProcessStats.statusKiB(healthcheck, key);
    }

    @Override
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Stops ExaBGP (SIGTERM, then SIGKILL) and its healthcheck, by their process ids. */
    @Override
    public void close() throws InterruptedException {
        exabgp.destroy();
        if (!exabgp.waitFor(10, TimeUnit.SECONDS)) {
            exabgp.destroyForcibly();
            exabgp.waitFor(10, TimeUnit.SECONDS);
        }
        // The healthcheck would only notice its parent is gone after its next sleep.
        ProcessHandle.of(healthcheck).ifPresent(ProcessHandle::destroy);
    }

    private static boolean isHealthcheck(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.ISO_8859_1)
                    .contains(HEALTHCHECK.toString());
        } catch (IOException gone) {
            return false;
        }
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f", duration.toNanos() / 1e9);
    }
}
