package dev.anycastd.bench;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.testkit.frr.FrrLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The fastcheck scenario (issue #21): a service on a TCP port of 127.0.0.1, checked every
 * 100 ms by ExaBGP's healthcheck (bash connecting to the port) and, where the daemon has the
 * {@code tcp} check type (the anycastd-checks module), by anycastd; the listener closes at a
 * random moment, and each withdrawal is timed from there until the upstream router lost the
 * route. Then the cost of both at rest.
 */
final class FastCheck {

    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration ROUTE_LIMIT = Duration.ofSeconds(30);

    private final UpstreamWatch upstream;
    private final FrrLab.SpeakerPeering speaker;
    private final Path home;
    private final Path vtysh;
    private final Path work;
    private final Setup setup;

    /**
     * @param flips how many times the listener closes
     * @param warmUp time the daemon runs before its cost is measured
     * @param steady how long the cost is measured
     * @param jvmOptions ANYCASTD_OPTS, or null
     */
    record Setup(int flips, Duration warmUp, Duration steady, String jvmOptions) {
    }

    /**
     * @param home the unpacked daemon
     * @param vtysh the host router's vtysh for the daemon
     * @param work a directory for configuration and logs
     */
    FastCheck(UpstreamWatch upstream, FrrLab.SpeakerPeering speaker, Path home, Path vtysh, Path work, Setup setup) {
        this.upstream = upstream;
        this.speaker = speaker;
        this.home = home;
        this.vtysh = vtysh;
        this.work = work;
        this.setup = setup;
    }

    /**
     * Runs the scenario; anycastd announces {@code ours} (a service named {@code name}, whose
     * addresses are on the host's lo), ExaBGP {@code theirs}.
     */
    List<Row> run(String name, List<IpPrefix> ours, IpPrefix theirs) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        boolean tcpCheck = hasChecksModule();
        if (!tcpCheck) {
            rows.add(new Row("fast check, anycastd `tcp` check every 100 ms", "skipped: the daemon's tarball has no anycastd-checks "
                    + "jar (lib/anycastd-checks-*.jar), so there is no `tcp` check type to measure", "p50 ≤ 150 ms, p99 ≤ 300 ms"));
        }
        try (TcpService tcp = TcpService.open();
                ExabgpPeer peer = ExabgpPeer.start(speaker, new ExabgpPeer.Healthcheck(theirs,
                        "bash -c '</dev/tcp/127.0.0.1/" + tcp.port() + "'", INTERVAL, 1), work.resolve("exabgp-fast"));
                DaemonProcess daemon = tcpCheck ? DaemonProcess.start(home, config(name, ours, tcp.port()), setup.jvmOptions(),
                        work.resolve("fastcheck.log")) : null) {
            upstream.awaitUntil(peer, "upstream learns ExaBGP's " + theirs, ROUTE_LIMIT, () -> upstream.has(theirs));
            if (daemon != null) {
                upstream.awaitUntil(daemon, "upstream learns " + ours, ROUTE_LIMIT, () -> upstream.hasAll(ours));
            }
            Latencies exabgpGone = new Latencies();
            Latencies anycastdGone = new Latencies();
            for (int i = 0; i < setup.flips(); i++) {
                // A random moment: the failure falls anywhere in both checkers' 100 ms cycles.
                Thread.sleep(ThreadLocalRandom.current().nextLong(1000) + 100);
                long closed = System.nanoTime();
                tcp.stop();
                long[] gone = awaitBoth(peer, List.of(theirs), daemon, ours, false);
                exabgpGone.add(gone[0] - closed);
                if (daemon != null) {
                    anycastdGone.add(gone[1] - closed);
                }
                Thread.sleep(ThreadLocalRandom.current().nextLong(300) + 100);
                tcp.start();
                awaitBoth(peer, List.of(theirs), daemon, ours, true);
            }
            rows.add(new Row("fast check, ExaBGP healthcheck every 100 ms (bash connecting to the port), listener closed until "
                    + "upstream lost the route, n=" + exabgpGone.count() + ": min / p50 / p99 / max", exabgpGone.summary(), ""));
            if (daemon != null) {
                rows.add(new Row("fast check, anycastd `tcp` check every 100 ms, the same listener, until upstream lost both routes, n="
                        + anycastdGone.count() + ": min / p50 / p99 / max", anycastdGone.summary(), "p50 ≤ 150 ms, p99 ≤ 300 ms"));
            }
            rows.addAll(SteadyCost.measure(peer, "100 ms interval, 1 service (bash)", daemon, "1 service, tcp check every 100 ms",
                    setup.warmUp(), setup.steady()));
            if (daemon != null) {
                daemon.terminate();
                upstream.awaitUntil(null, "upstream loses " + ours, ROUTE_LIMIT, () -> upstream.hasNone(ours));
                int exit = daemon.awaitExit(Duration.ofSeconds(30));
                if (exit != 0) {
                    throw new IllegalStateException("the daemon exited with " + exit + ":\n" + daemon.tail(30));
                }
            }
        }
        return rows;
    }

    /** Waits until upstream has (or has lost) both sets of prefixes; answers when each first was so ({@code daemon} may be null). */
    private long[] awaitBoth(ExabgpPeer peer, List<IpPrefix> theirs, DaemonProcess daemon, List<IpPrefix> ours, boolean present)
            throws IOException, InterruptedException {
        long[] at = {0, daemon == null ? -1 : 0};
        upstream.awaitUntil(peer, "upstream " + (present ? "learns " : "loses ") + theirs + (daemon == null ? "" : " and " + ours),
                ROUTE_LIMIT, () -> {
                    if (daemon != null && !daemon.isAlive()) {
                        throw new IllegalStateException("the daemon exited:\n" + daemon.tail(30));
                    }
                    if (at[0] == 0 && (present ? upstream.hasAll(theirs) : upstream.hasNone(theirs))) {
                        at[0] = System.nanoTime();
                    }
                    if (at[1] == 0 && (present ? upstream.hasAll(ours) : upstream.hasNone(ours))) {
                        at[1] = System.nanoTime();
                    }
                    return at[0] != 0 && at[1] != 0;
                });
        return at;
    }

    /** Whether the unpacked daemon has the module with the in-daemon check types (tcp, http, exec). */
    private boolean hasChecksModule() throws IOException {
        try (var jars = Files.list(home.resolve("lib"))) {
            return jars.anyMatch(jar -> jar.getFileName().toString().startsWith("anycastd-checks"));
        }
    }

    private Path config(String name, List<IpPrefix> prefixes, int port) throws IOException {
        StringBuilder toml = new StringBuilder("# Written by dev.anycastd.bench.FastCheck\n\n[services." + name + "]\nprefixes.frrouting = [");
        for (int i = 0; i < prefixes.size(); i++) {
            toml.append(i == 0 ? "" : ", ").append("{ prefix = \"").append(prefixes.get(i)).append("\", vtysh = \"").append(vtysh)
                    .append("\" }");
        }
        toml.append("]\nchecks.tcp = [{ address = \"127.0.0.1:").append(port).append("\", interval = \"").append(INTERVAL.toMillis())
                .append("ms\" }]\n");
        return Files.writeString(work.resolve("fastcheck.toml"), toml);
    }
}
