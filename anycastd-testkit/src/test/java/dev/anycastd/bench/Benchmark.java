package dev.anycastd.bench;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.testkit.cabourotte.FakeCabourotte;
import dev.anycastd.testkit.frr.FrrLab;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The benchmarks of BENCHMARKS.md: the packaged daemon against two real FRR routers (the
 * testkit's {@link FrrLab}) and the testkit's fake Cabourotte, every figure taken at the
 * upstream router. Run it with {@code bench/run} (as root, with Debian's frr installed); it is
 * not a test and {@code ./mvnw verify} does not run it.
 *
 * <p>Options: {@code --tarball PATH} (required: {@code anycastd-daemon/target/anycastd-VERSION.tar.gz}),
 * {@code --flips N} (50), {@code --mass-flips N} (5), {@code --services N} (1000), {@code --steady SECONDS} (60), {@code --warm-up SECONDS} (30),
 * {@code --metrics on|off} (off: with on, the daemon serves /metrics and the steady periods scrape it every 15 s),
 * {@code --jvm-opts "..."} (ANYCASTD_OPTS for the daemon; unset by default, so the launcher's
 * defaults apply), {@code --only latency,small,scale,fastcheck} (all but fastcheck by default),
 * {@code --peer exabgp} (ExaBGP's healthcheck flips interleaved with anycastd's latency flips,
 * see {@link ExabgpPeer}), {@code --out FILE} (also write the table there).
 */
public final class Benchmark {

    private static final Duration ROUTE_LIMIT = Duration.ofSeconds(30);
    private static final String PUSH_PATH = "/anycastd/cabourotte";
    private static final long EXABGP_ASN = 65003;
    /** ExaBGP's one prefix, outside the services' (198.18.0.0/16 up to 62,500 services). */
    private static final IpPrefix EXABGP_PREFIX = IpPrefix.parse("198.18.250.1");
    /** The fake Cabourotte's check that ExaBGP's healthcheck reads. */
    private static final String EXABGP_CHECK = "exabgp";

    private final Settings settings;
    private final Path work;
    private final Path home;
    private final FrrLab lab;
    private final FakeCabourotte cabourotte;
    private final BgpdVty upstream;
    private final UpstreamWatch watch;
    private final Path vtysh;
    private final Path vtyshCalls;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String[]> rows = new ArrayList<>();
    private final Map<String, String> notes = new LinkedHashMap<>();
    /** The port the current daemon serves /metrics on, or 0 without {@code --metrics on}. */
    private int metricsPort;
    /** The size of the last /metrics page scraped. */
    private int lastScrapeBytes;
    /** Where ExaBGP peers with the upstream router, with {@code --peer exabgp} or fastcheck; else null. */
    private FrrLab.SpeakerPeering speaker;
    /** ExaBGP running beside anycastd's latency flips (with {@code --peer exabgp}), or null. */
    private ExabgpPeer exabgp;
    private final Flips exabgpFlips = new Flips();
    private Flips polled;
    private Flips pushed;

    private Benchmark(Settings settings, Path work, Path home, FrrLab lab, FakeCabourotte cabourotte, BgpdVty upstream)
            throws IOException {
        this.settings = settings;
        this.work = work;
        this.home = home;
        this.lab = lab;
        this.cabourotte = cabourotte;
        this.upstream = upstream;
        this.watch = new UpstreamWatch(upstream, lab.upstream().interfaceName());
        this.vtyshCalls = work.resolve("vtysh-calls");
        this.vtysh = countingVtysh(work.resolve("counting-vtysh"), vtyshCalls, lab.host().vtysh().getParent());
    }

    /** Runs the benchmarks; exits 2 when the lab cannot run here, 1 when a scenario fails. */
    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("benchmark: " + e.getMessage() + "; see bench/run --help");
            System.exit(64);
            return;
        }
        if (FrrLab.unavailableReason().isPresent()) {
            System.err.println("benchmark: " + FrrLab.unavailableReason().get());
            System.exit(2);
        }
        if (settings.needsExabgp() && ExabgpPeer.unavailableReason().isPresent()) {
            System.err.println("benchmark: " + (settings.exabgp ? "--peer exabgp" : "--only fastcheck") + " needs ExaBGP: "
                    + ExabgpPeer.unavailableReason().get());
            System.exit(2);
        }
        Path work = Files.createTempDirectory("anycastd-bench-");
        Path home = DaemonProcess.unpack(settings.tarball, work.resolve("daemon"));
        try (FrrLab lab = FrrLab.start();
                FakeCabourotte cabourotte = FakeCabourotte.start();
                BgpdVty upstream = BgpdVty.connect(lab.upstream().vtysh().getParent().resolve("bgpd.vty"))) {
            Benchmark benchmark = new Benchmark(settings, work, home, lab, cabourotte, upstream);
            boolean failed = false;
            try {
                benchmark.run();
            } catch (RuntimeException | IOException e) {
                failed = true;
                System.err.println("benchmark: a scenario failed: " + e);
                e.printStackTrace();
            }
            benchmark.print(System.out);
            if (settings.out != null) {
                try (PrintStream out = new PrintStream(Files.newOutputStream(settings.out), true, StandardCharsets.UTF_8)) {
                    benchmark.print(out);
                }
            }
            System.exit(failed ? 1 : 0);
        }
    }

    private void run() throws IOException, InterruptedException {
        machine();
        List<Service> all = new ArrayList<>();
        for (int i = 0; i < settings.services; i++) {
            all.add(Service.number(i));
        }
        List<IpPrefix> addresses = new ArrayList<>();
        all.forEach(service -> addresses.addAll(List.of(service.v4(), service.v6())));
        // FRR's import check advertises a network only when its address is in the RIB, as on a real anycast host.
        lab.host().addLoopbackAddresses(addresses);
        all.forEach(service -> cabourotte.healthy(service.name()));
        if (settings.needsExabgp()) {
            speaker = lab.addSpeaker(EXABGP_ASN);
            notes.put("ExaBGP", exabgpVersion());
        }
        if (settings.runs("latency")) {
            floor();
        }
        try {
            if (settings.runs("latency") || settings.runs("small")) {
                small(all.subList(0, 10));
            }
            if (settings.runs("latency")) {
                pushLatency(all.subList(0, 10));
            }
            if (exabgp != null) {
                exabgpBeside();
            }
        } finally {
            if (exabgp != null) {
                exabgp.close();
                exabgp = null;
            }
        }
        if (settings.runs("fastcheck")) {
            Service service = all.get(0);
            new FastCheck(watch, speaker, home, vtysh, work, new FastCheck.Setup(settings.flips, settings.warmUp, settings.steady,
                    settings.jvmOptions)).run(service.name(), List.of(service.v4(), service.v6()), EXABGP_PREFIX).forEach(this::row);
        }
        if (settings.runs("scale")) {
            scale(all);
        }
    }

    /**
     * What FRR alone takes, without anycastd: one vtysh process on the host configuring or
     * removing a network, until the upstream router has learned or lost it. No daemon can be faster.
     */
    private void floor() throws IOException, InterruptedException {
        IpPrefix prefix = IpPrefix.parse("198.18.255.1");
        lab.host().addLoopbackAddresses(List.of(prefix));
        String network = "configure terminal\nrouter bgp " + FrrLab.HOST_ASN + "\naddress-family ipv4 unicast\nnetwork " + prefix;
        String noNetwork = network.replace("\nnetwork ", "\nno network ");
        Latencies learn = new Latencies();
        Latencies lose = new Latencies();
        for (int i = 0; i < 20; i++) {
            Thread.sleep(ThreadLocalRandom.current().nextLong(200) + 50);
            long start = System.nanoTime();
            lab.host().vtysh(network).requireSuccess();
            learn.add(awaitUntil(null, "upstream learns " + prefix, ROUTE_LIMIT, () -> upstream.has(prefix)) - start);
            Thread.sleep(ThreadLocalRandom.current().nextLong(200) + 50);
            start = System.nanoTime();
            lab.host().vtysh(noNetwork).requireSuccess();
            lose.add(awaitUntil(null, "upstream loses " + prefix, ROUTE_LIMIT, () -> !upstream.has(prefix)) - start);
        }
        row("floor, FRR alone, n=20: one vtysh `no network` on the host until upstream lost it: min / p50 / p99 / max",
                lose.summary(), "");
        row("floor, FRR alone, n=20: one vtysh `network` on the host until upstream learned it: min / p50 / p99 / max",
                learn.summary(), "");
    }

    /** 10 services polled every second: start-up, steady cost, then withdraw and re-announce latency by polling. */
    private void small(List<Service> services) throws IOException, InterruptedException {
        Path config = config("small", services, "1", null, false);
        resetCalls();
        long start = System.nanoTime();
        try (DaemonProcess daemon = DaemonProcess.start(home, config, settings.jvmOptions, daemonEnvironment(), work.resolve("small.log"))) {
            long up = awaitCounts(daemon, services.size(), ROUTE_LIMIT);
            notes.put("daemon JVM", daemon.jvmCommandLine());
            row("start-up, 10 services × 2 prefixes", ms(up - start) + " ms, " + calls() + " vtysh", "");
            if (settings.runs("small")) {
                steady(daemon, "10 services", 0.5, 80);
            }
            if (settings.runs("latency")) {
                if (settings.exabgp) {
                    startExabgpBeside();
                }
                polled = flips(daemon, services.get(0), null, "polling every 1 s", Duration.ofSeconds(1), 1150);
            }
            shutdown(daemon, "10 services", services.size());
        }
    }

    /** 10 services polled every 30 s that also receive pushes: withdraw and re-announce latency by push. */
    private void pushLatency(List<Service> services) throws IOException, InterruptedException {
        int port = freePort();
        Path config = config("push", services, "30", port, false);
        try (DaemonProcess daemon = DaemonProcess.start(home, config, settings.jvmOptions, daemonEnvironment(), work.resolve("push.log"))) {
            awaitCounts(daemon, services.size(), ROUTE_LIMIT);
            pushed = flips(daemon, services.get(0), port, "push (polling every 30 s)", Duration.ofMillis(300), 150);
            shutdown(daemon, null, services.size());
        }
    }

    /** 1,000 services polled every second, receiving pushes too: start-up, steady cost, mass flips, shutdown. */
    private void scale(List<Service> services) throws IOException, InterruptedException {
        int port = freePort();
        // read-all: one GET /result a second serves every check, instead of 1,000 requests a second.
        Path config = config("scale", services, "1", port, true);
        int n = services.size();
        resetCalls();
        long start = System.nanoTime();
        try (DaemonProcess daemon = DaemonProcess.start(home, config, settings.jvmOptions, daemonEnvironment(), work.resolve("scale.log"))) {
            long up = awaitCounts(daemon, n, Duration.ofMinutes(10));
            long startupCalls = calls();
            row(String.format(Locale.ROOT, "start-up, %,d services × 2 prefixes: until upstream has all %,d routes", n, 2 * n),
                    ms(up - start) + " ms, " + startupCalls + " vtysh", "≤ 3000 ms");
            steady(daemon, String.format(Locale.ROOT, "%,d services", n), 3, 160);

            List<Service> half = services.subList(0, n / 2);
            Latencies byPolling = new Latencies();
            Latencies recovery = new Latencies();
            long before = calls();
            for (int round = 0; round < settings.massFlips; round++) {
                // A random phase, so that the rounds sample every point of the poll interval.
                Thread.sleep(ThreadLocalRandom.current().nextLong(1000) + 200);
                long flipped = System.nanoTime();
                half.forEach(service -> cabourotte.failing(service.name(), "benchmark mass flip"));
                byPolling.add(awaitCounts(daemon, n - half.size(), ROUTE_LIMIT) - flipped);
                long healed = System.nanoTime();
                half.forEach(service -> cabourotte.healthy(service.name()));
                recovery.add(awaitCounts(daemon, n, ROUTE_LIMIT) - healed);
            }
            row(String.format(Locale.ROOT, "mass flip by polling, %d rounds: %d services fail, until upstream lost their %,d routes: "
                    + "min / p50 / max", settings.massFlips, half.size(), 2 * half.size()),
                    byPolling.summary3() + ", " + (calls() - before) / settings.massFlips + " vtysh a round", "≤ 1000 ms");
            row("mass recovery by polling, until upstream has them again: min / p50 / max", recovery.summary3(), "");

            Latencies byPush = new Latencies();
            Latencies afterLastPush = new Latencies();
            Latencies posting = new Latencies();
            before = calls();
            for (int round = 0; round < settings.massFlips; round++) {
                Thread.sleep(ThreadLocalRandom.current().nextLong(1000) + 200);
                long flipped = System.nanoTime();
                for (Service service : half) {
                    cabourotte.failing(service.name(), "benchmark mass flip");
                    push(port, service.name(), false);
                }
                long posted = System.nanoTime();
                long lost = awaitCounts(daemon, n - half.size(), ROUTE_LIMIT);
                byPush.add(lost - flipped);
                afterLastPush.add(lost - posted);
                posting.add(posted - flipped);
                half.forEach(service -> cabourotte.healthy(service.name()));
                awaitCounts(daemon, n, ROUTE_LIMIT);
            }
            row(String.format(Locale.ROOT, "mass flip by push, %d rounds: %d pushes posted one after another, until upstream lost "
                    + "their %,d routes: min / p50 / max", settings.massFlips, half.size(), 2 * half.size()),
                    byPush.summary3() + ", " + (calls() - before) / settings.massFlips + " vtysh a round", "≤ 1000 ms");
            row("… of which posting the 500 pushes; and from the last push until upstream lost the routes",
                    posting.summary3() + "; " + afterLastPush.summary3(), "");

            shutdown(daemon, String.format(Locale.ROOT, "%,d services", n), n);
        }
    }

    /**
     * CPU time and peak memory over the steady period, nothing changing, after a warm-up: a
     * daemon runs for months, and its first half minute is mostly the JIT compiling. With metrics
     * on, the warm-up is scraped too, as a Prometheus server scrapes from the start: the first
     * scrape's class loading and compiling are start-up costs, not steady ones.
     */
    private void steady(DaemonProcess daemon, String what, double cpuTarget, long rssTarget)
            throws IOException, InterruptedException {
        waitScrapingMetrics(settings.warmUp);
        ProcessStats.CpuTime before = daemon.cpuTime();
        long callsBefore = calls();
        long start = System.nanoTime();
        waitScrapingMetrics(settings.steady);
        ProcessStats.CpuTime after = daemon.cpuTime();
        double minutes = (System.nanoTime() - start) / 60e9;
        long hwm = daemon.statusKiB("VmHWM");
        long rss = daemon.statusKiB("VmRSS");
        double self = (after.self().toNanos() - before.self().toNanos()) / 1e9 / minutes;
        double children = (after.children().toNanos() - before.children().toNanos()) / 1e9 / minutes;
        row("steady, " + what + ", 1 s interval, after " + settings.warmUp.toSeconds()
                + " s of warm-up: daemon CPU per minute (its vtysh children; vtysh started)",
                String.format(Locale.ROOT, "%.2f s (+ %.2f s; %d vtysh)", self, children, Math.round((calls() - callsBefore) / minutes)),
                String.format(Locale.ROOT, "< %s s", cpuTarget));
        if (metricsPort != 0) {
            row("steady, " + what + ": /metrics page scraped every 15 s", String.format(Locale.ROOT, "%,d bytes", lastScrapeBytes), "");
        }
        row("steady, " + what + ": peak RSS (VmHWM; RSS now)", String.format(Locale.ROOT, "%.1f MB (%.1f MB)", hwm / 1024.0,
                rss / 1024.0), "< " + rssTarget + " MB");
    }

    /** With {@code --metrics on}: the daemon serves /metrics on a free loopback port. */
    private Map<String, String> daemonEnvironment() throws IOException {
        if (!settings.metrics) {
            metricsPort = 0;
            return Map.of();
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            metricsPort = socket.getLocalPort();
        }
        return Map.of("METRICS_LISTEN", "127.0.0.1:" + metricsPort);
    }

    /** Waits {@code period}; with metrics on, scrapes /metrics every 15 s meanwhile, as a Prometheus server would. */
    private void waitScrapingMetrics(Duration period) throws IOException, InterruptedException {
        if (metricsPort == 0) {
            Thread.sleep(period.toMillis());
            return;
        }
        long end = System.nanoTime() + period.toNanos();
        URI metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + metrics + " answered " + response.statusCode());
            }
            lastScrapeBytes = response.body().length();
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(15_000, left / 1_000_000 + 1));
        }
    }

    /**
     * Flips one service's check failing and back, {@code flips} times, timing each at the upstream
     * router; with ExaBGP beside, each flip is followed by one of ExaBGP's.
     */
    private Flips flips(DaemonProcess daemon, Service service, Integer pushPort, String how, Duration phase, long targetMillis)
            throws IOException, InterruptedException {
        Flips flips = new Flips();
        for (int i = 0; i < settings.flips; i++) {
            flip(daemon, service.name(), List.of(service.v4(), service.v6()), pushPort, phase, flips);
            if (exabgp != null) {
                // ExaBGP checks every second: a random phase of one second samples all of its interval too.
                flip(exabgp, EXABGP_CHECK, List.of(EXABGP_PREFIX), null, Duration.ofSeconds(1), exabgpFlips);
            }
        }
        String target = "p99 ≤ " + targetMillis + " ms";
        row("withdraw latency, " + how + ", n=" + flips.withdraw.count() + ": min / p50 / p99 / max", flips.withdraw.summary(), target);
        row("re-announce latency, " + how + ", n=" + flips.announce.count() + ": min / p50 / p99 / max", flips.announce.summary(), "");
        return flips;
    }

    /**
     * One flip: check {@code check} of the fake fails (and is pushed, with a {@code pushPort}) until
     * upstream has lost every prefix, then heals until upstream has them all again; each after a
     * random pause within {@code phase}.
     */
    private void flip(Watched watched, String check, List<IpPrefix> prefixes, Integer pushPort, Duration phase, Flips into)
            throws IOException, InterruptedException {
        // A random phase, so that polled flips sample every point of the poll interval.
        Thread.sleep(ThreadLocalRandom.current().nextLong(phase.toMillis()) + 50);
        long failed = System.nanoTime();
        cabourotte.failing(check, "benchmark flip");
        if (pushPort != null) {
            push(pushPort, check, false);
        }
        long gone = awaitUntil(watched, "upstream loses " + prefixes, ROUTE_LIMIT, () -> watch.hasNone(prefixes));
        into.withdraw.add(gone - failed);
        Thread.sleep(ThreadLocalRandom.current().nextLong(phase.toMillis()) + 50);
        long healed = System.nanoTime();
        cabourotte.healthy(check);
        if (pushPort != null) {
            push(pushPort, check, true);
        }
        long back = awaitUntil(watched, "upstream learns " + prefixes, ROUTE_LIMIT, () -> watch.hasAll(prefixes));
        into.announce.add(back - healed);
    }

    /** Withdraw and re-announce latencies of a series of flips. */
    private record Flips(Latencies withdraw, Latencies announce) {
        Flips() {
            this(new Latencies(), new Latencies());
        }
    }

    /**
     * Starts ExaBGP with a healthcheck every second that asks the same fake Cabourotte as
     * anycastd, with curl, whether its check succeeds; its flips then interleave with anycastd's.
     */
    private void startExabgpBeside() throws IOException, InterruptedException {
        cabourotte.healthy(EXABGP_CHECK);
        String command = "curl -sf --max-time 1 " + cabourotte.url().resolve("/result/" + EXABGP_CHECK)
                + " | grep -q '\"success\":true'";
        exabgp = ExabgpPeer.start(speaker, new ExabgpPeer.Healthcheck(EXABGP_PREFIX, command, Duration.ofSeconds(1), 1),
                work.resolve("exabgp-1s"));
        awaitUntil(exabgp, "upstream learns ExaBGP's " + EXABGP_PREFIX, ROUTE_LIMIT, () -> upstream.has(EXABGP_PREFIX));
    }

    /** ExaBGP's rows beside anycastd's: its latencies, the ratios, then its cost at rest. */
    private void exabgpBeside() throws IOException, InterruptedException {
        String how = "ExaBGP 4.2 healthcheck every 1 s (curl of the same fake Cabourotte), interleaved with anycastd's flips";
        row("withdraw latency, " + how + ", n=" + exabgpFlips.withdraw.count() + ": min / p50 / p99 / max",
                exabgpFlips.withdraw.summary(), "");
        row("re-announce latency, " + how + ", n=" + exabgpFlips.announce.count() + ": min / p50 / p99 / max",
                exabgpFlips.announce.summary(), "");
        row("withdraw, ExaBGP ÷ anycastd push, at p50 / p90 (ExaBGP ms vs anycastd ms)", ratios(exabgpFlips.withdraw, pushed.withdraw),
                "≥ 3× at p50");
        row("withdraw, ExaBGP ÷ anycastd polling every 1 s, at p50 / p90", ratios(exabgpFlips.withdraw, polled.withdraw),
                "≥ 1× at p50 and p90");
        row("re-announce, ExaBGP ÷ anycastd push, at p50 / p90", ratios(exabgpFlips.announce, pushed.announce), "");
        row("re-announce, ExaBGP ÷ anycastd polling every 1 s, at p50 / p90", ratios(exabgpFlips.announce, polled.announce), "");
        SteadyCost.measure(exabgp, "1 s interval, 1 service (curl)", null, null, settings.warmUp, settings.steady).forEach(this::row);
    }

    private String exabgpVersion() throws IOException, InterruptedException {
        Process version = new ProcessBuilder("/usr/sbin/exabgp", "--version").redirectErrorStream(true).start();
        String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        version.waitFor();
        return out.lines().filter(line -> line.startsWith("ExaBGP") || line.startsWith("Python"))
                .map(line -> line.replaceAll("\\s+", " ").strip()).reduce((first, second) -> first + ", " + second).orElse("unknown");
    }

    /** "p50: 644 vs 246 ms, 2.6×; p90: 993 vs 286 ms, 3.5×": the first's percentiles over the second's. */
    private static String ratios(Latencies theirs, Latencies ours) {
        StringBuilder text = new StringBuilder();
        for (int p : new int[] {50, 90}) {
            Duration a = theirs.percentile(p);
            Duration b = ours.percentile(p);
            text.append(text.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "p%d: %s vs %s ms, %.1f×", p,
                    Latencies.ms(a), Latencies.ms(b), (double) a.toNanos() / b.toNanos()));
        }
        return text.toString();
    }

    /** SIGTERM until the upstream router has none of the daemon's routes; and the exit code. */
    private void shutdown(DaemonProcess daemon, String what, int services) throws IOException, InterruptedException {
        long before = calls();
        long start = System.nanoTime();
        daemon.terminate();
        long gone = awaitCounts(null, 0, ROUTE_LIMIT);
        int exit = daemon.awaitExit(Duration.ofSeconds(30));
        if (what != null) {
            row(String.format(Locale.ROOT, "shutdown, %s: SIGTERM until upstream has none of the %,d routes; exit code", what,
                    2 * services), ms(gone - start) + " ms, exit " + exit + ", " + (calls() - before) + " vtysh",
                    services >= 1000 ? "≤ 2000 ms, exit 0" : "exit 0");
        } else if (exit != 0) {
            throw new IllegalStateException("the daemon exited with " + exit + ":\n" + daemon.tail(30));
        }
    }

    /** Waits until upstream has {@code each} IPv4 and IPv6 routes from the host router (ExaBGP's do not count). */
    private long awaitCounts(DaemonProcess daemon, int each, Duration limit) throws IOException, InterruptedException {
        return awaitUntil(daemon, "upstream has " + each + " IPv4 and " + each + " IPv6 routes", limit,
                () -> watch.hostRoutes(IpPrefix.Family.IPV4) == each && watch.hostRoutes(IpPrefix.Family.IPV6) == each);
    }

    /** Polls {@code condition} about every millisecond; answers {@link System#nanoTime()} when it first held. */
    private long awaitUntil(Watched watched, String what, Duration limit, UpstreamWatch.Condition condition)
            throws IOException, InterruptedException {
        return watch.awaitUntil(watched, what, limit, condition);
    }

    /** Posts what Cabourotte's HTTP exporter posts after a run of the service's check. */
    private void push(int port, String check, boolean success) throws IOException, InterruptedException {
        String body = FakeCabourotte.exporterPushBody(check, success, success ? "success" : "benchmark flip",
                Instant.now());
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PUSH_PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 204) {
            throw new IllegalStateException("the daemon answered a push with " + response.statusCode() + ": " + response.body());
        }
    }

    private Path config(String name, List<Service> services, String interval, Integer pushPort, boolean readAll)
            throws IOException {
        StringBuilder toml = new StringBuilder("# Written by dev.anycastd.bench.Benchmark\n");
        for (Service service : services) {
            toml.append("\n[services.").append(service.name()).append("]\n")
                    .append("prefixes.frrouting = [{ prefix = \"").append(service.v4()).append("\", vtysh = \"").append(vtysh)
                    .append("\" }, { prefix = \"").append(service.v6()).append("\", vtysh = \"").append(vtysh).append("\" }]\n")
                    .append("checks.cabourotte = [{ name = \"").append(service.name()).append("\", url = \"").append(cabourotte.url())
                    .append("\", interval = ").append(interval);
            if (readAll) {
                toml.append(", read-all = true");
            }
            if (pushPort != null) {
                toml.append(", push-listen = \"127.0.0.1:").append(pushPort).append('"');
            }
            toml.append(" }]\n");
        }
        return Files.writeString(work.resolve(name + ".toml"), toml);
    }

    /** A vtysh for the lab's host router that counts its calls: one byte appended per process started. */
    private static Path countingVtysh(Path script, Path calls, Path hostDirectory) throws IOException {
        Files.writeString(calls, "");
        Files.writeString(script, String.join("\n",
                "#!/bin/sh",
                "# Counts each call, then is the lab host router's vtysh.",
                "printf x >> '" + calls + "'",
                "exec /usr/bin/vtysh --vty_socket '" + hostDirectory + "' \"$@\"",
                ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private void resetCalls() throws IOException {
        Files.writeString(vtyshCalls, "");
    }

    private long calls() throws IOException {
        return Files.size(vtyshCalls);
    }

    private void machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                .findFirst().map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown CPU");
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(line -> line.startsWith("MemTotal"))
                .findFirst().map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown");
        notes.put("machine", cpu + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, " + memory + " RAM, Linux "
                + System.getProperty("os.version"));
        notes.put("FRR", upstream.run("show version").lines().findFirst().orElse("unknown").strip());
        notes.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        notes.put("metrics", settings.metrics ? "on: --metrics-listen on loopback, scraped every 15 s" : "off");
        notes.put("ANYCASTD_OPTS", settings.jvmOptions == null ? "(unset: the launcher's defaults)" : settings.jvmOptions);
    }

    private void row(Row row) {
        row(row.measurement(), row.figure(), row.target());
    }

    private void row(String measurement, String figure, String target) {
        rows.add(new String[] {measurement, figure, target});
        System.err.println("benchmark: " + measurement + ": " + figure);
    }

    private void print(PrintStream out) {
        notes.forEach((key, value) -> out.println("- " + key + ": " + value));
        out.println();
        out.println("| measurement | figure | target |");
        out.println("|---|---|---|");
        for (String[] row : rows) {
            out.println("| " + row[0] + " | " + row[1] + " | " + row[2] + " |");
        }
    }

    private static String ms(long nanos) {
        return Latencies.ms(Duration.ofNanos(nanos));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** One benchmark service: a check of its own name and an IPv4 and an IPv6 host route from the benchmarking ranges. */
    private record Service(String name, IpPrefix v4, IpPrefix v6) {
        static Service number(int i) {
            // RFC 2544 and RFC 5180 reserve 198.18.0.0/15 and 2001:2::/48 for benchmarks.
            return new Service(String.format(Locale.ROOT, "s%04d", i),
                    IpPrefix.parse("198.18." + (i / 250) + "." + (i % 250 + 1)),
                    IpPrefix.parse("2001:2::" + Integer.toHexString(i + 1)));
        }

        @Override
        public String toString() {
            return name + " (" + v4 + ", " + v6 + ")";
        }
    }

    private record Settings(Path tarball, int flips, int massFlips, int services, Duration steady, Duration warmUp,
            String jvmOptions, Set<String> only, Path out, boolean metrics, boolean exabgp) {

        private static final Set<String> SCENARIOS = Set.of("latency", "small", "scale", "fastcheck");

        /** @throws IllegalArgumentException saying what is wrong with the options, numbers included */
        static Settings parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (!arg.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument " + arg);
                }
                int equals = arg.indexOf('=');
                if (equals > 0) {
                    values.put(arg.substring(2, equals), arg.substring(equals + 1));
                } else if (i + 1 < args.length) {
                    values.put(arg.substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
            }
            Set<String> known = Set.of("tarball", "flips", "mass-flips", "services", "steady", "warm-up", "jvm-opts", "only", "out", "metrics",
                    "peer");
            for (String key : values.keySet()) {
                if (!known.contains(key)) {
                    throw new IllegalArgumentException("unknown option --" + key + "; known: " + known);
                }
            }
            if (!values.containsKey("tarball")) {
                throw new IllegalArgumentException("--tarball anycastd-daemon/target/anycastd-VERSION.tar.gz is required");
            }
            try {
                return of(values);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a number was expected: " + e.getMessage(), e);
            }
        }

        private static Settings of(Map<String, String> values) {
            int services = Integer.parseInt(values.getOrDefault("services", "1000"));
            if (services < 10) {
                throw new IllegalArgumentException("--services must be at least 10");
            }
            int flips = Integer.parseInt(values.getOrDefault("flips", "50"));
            if (flips < 1) {
                throw new IllegalArgumentException("--flips must be at least 1");
            }
            Set<String> only = Set.of(values.getOrDefault("only", "latency,small,scale").split(","));
            if (!SCENARIOS.containsAll(only)) {
                throw new IllegalArgumentException("--only " + values.get("only") + ": unknown scenario; known: latency, small, scale, fastcheck");
            }
            String peer = values.get("peer");
            if (peer != null && !peer.equals("exabgp")) {
                throw new IllegalArgumentException("--peer " + peer + ": unknown peer; known: exabgp");
            }
            if (peer != null && !only.contains("latency")) {
                throw new IllegalArgumentException("--peer exabgp measures beside the latency scenario; add latency to --only");
            }
            return new Settings(Path.of(values.get("tarball")), flips,
                    Integer.parseInt(values.getOrDefault("mass-flips", "5")), services,
                    Duration.ofSeconds(Long.parseLong(values.getOrDefault("steady", "60"))),
                    Duration.ofSeconds(Long.parseLong(values.getOrDefault("warm-up", "30"))), values.get("jvm-opts"),
                    only, values.containsKey("out") ? Path.of(values.get("out")) : null,
                    values.getOrDefault("metrics", "off").equals("on"), peer != null);
        }

        boolean runs(String scenario) {
            return only.contains(scenario);
        }

        /** With {@code --peer exabgp}, or for fastcheck, whose only contestant so far may be ExaBGP. */
        boolean needsExabgp() {
            return exabgp || runs("fastcheck");
        }
    }
}
