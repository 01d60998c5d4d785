package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.testkit.cabourotte.FakeCabourotte;
import dev.anycastd.testkit.frr.FrrLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One test's packaged daemon in the FRR lab, as the end-to-end ITs drive it: the launcher of the
 * unpacked tarball started in the test's work directory (so the daemon and the commands of one test
 * share its control socket and state directory) with human logs without colour, the testkit's fake
 * Cabourotte, signals by process id, and waits read at the upstream router that fail early, with the
 * daemon's output, when the daemon has exited. Made in a test's {@code @BeforeEach}, closed in its
 * {@code @AfterEach}; the daemon is the one most recently started with {@link #run} or {@link #start}.
 */
final class EndToEndLab implements AutoCloseable {

    /** Upper bound for anything the daemon does; the lab's own waits are 10 s a prefix set. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    /** What an operator reads on a terminal. */
    private static final Map<String, String> HUMAN_LOGS = Map.of("LOG_FORMAT", "human", "NO_COLOR", "1");
    private static final List<Path> IP_CANDIDATES = List.of(Path.of("/usr/sbin/ip"), Path.of("/sbin/ip"), Path.of("/usr/bin/ip"),
            Path.of("/bin/ip"));

    private final FrrLab lab;
    private final Path home;
    private final Path work;
    private final FakeCabourotte cabourotte;
    private LauncherProcess daemon;

    /** Starts a fake Cabourotte for one test; {@code home} is what {@link #unpack} answered. */
    EndToEndLab(FrrLab lab, Path home, Path work) {
        this.lab = lab;
        this.home = home;
        this.work = work;
        this.cabourotte = FakeCabourotte.start();
    }

    /**
     * Unpacks the tarball into {@code installation}, answering its home, and puts the service
     * addresses on the host's lo, as on a real anycast host, so FRR's import check advertises them.
     */
    static Path unpack(Path installation, FrrLab lab, List<IpPrefix> serviceAddresses) throws Exception {
        Path home = Tarball.unpack(installation);
        lab.host().addLoopbackAddresses(serviceAddresses);
        return home;
    }

    FakeCabourotte cabourotte() {
        return cabourotte;
    }

    /** {@code [services.NAME]} announced through the lab's host router, with one check read at {@code interval}. */
    String service(String name, String check, String interval, IpPrefix... prefixes) {
        String items = Arrays.stream(prefixes)
                .map(prefix -> "{ prefix = \"%s\", vtysh = \"%s\" }".formatted(prefix, lab.host().vtysh()))
                .collect(Collectors.joining(", "));
        return """
                [services.%s]
                prefixes.frrouting = [%s]
                checks.cabourotte = [{ name = "%s", url = "%s", interval = "%s" }]

                """.formatted(name, items, check, cabourotte.url(), interval);
    }

    /** A new configuration file in the work directory. */
    Path configuration(String toml) throws IOException {
        return Files.writeString(Files.createTempFile(work, "config", ".toml"), toml);
    }

    /** Starts the daemon with {@code toml} as its configuration. */
    LauncherProcess run(String toml) throws IOException {
        return start("run", "--config", configuration(toml).toString());
    }

    /** Starts the launcher with {@code args} as this test's daemon. */
    LauncherProcess start(String... args) throws IOException {
        daemon = command(args);
        return daemon;
    }

    /** Starts the launcher with {@code args} as this test's daemon, in the host router's network namespace. */
    LauncherProcess startInHostNamespace(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("netns", "exec", lab.host().namespace(), launcher().toString()));
        command.addAll(List.of(args));
        daemon = LauncherProcess.start(ip(), work, HUMAN_LOGS, command.toArray(String[]::new));
        return daemon;
    }

    /** The launcher with {@code args}, not the daemon: a command that talks to this test's daemon, or a second daemon. */
    LauncherProcess command(String... args) throws IOException {
        return LauncherProcess.start(launcher(), work, HUMAN_LOGS, args);
    }

    /** Sends SIGTERM to the daemon by process id, as systemd does, and answers its exit code. */
    int terminate() throws Exception {
        signal("TERM");
        return daemon.waitFor();
    }

    /** Kills the daemon with SIGKILL and answers its exit code. */
    int kill() throws InterruptedException {
        daemon.process.destroyForcibly();
        return daemon.waitFor();
    }

    /** Sends signal {@code name} (as {@code kill -NAME} spells it) to the daemon by process id. */
    void signal(String name) throws Exception {
        signal(daemon, name);
    }

    /** Sends signal {@code name} (as {@code kill -NAME} spells it) to {@code launcher} by process id. */
    static void signal(LauncherProcess launcher, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(launcher.process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** Waits until the upstream router has every prefix, failing early (with the daemon's output) if the daemon exits. */
    void awaitUpstreamHas(IpPrefix... prefixes) {
        await("upstream router learns " + List.of(prefixes)).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> !daemon.process.isAlive() || lab.upstream().routes().containsAll(List.of(prefixes)));
        assertStillRunning();
        assertThat(lab.upstream().routes()).contains(prefixes);
    }

    /** Waits until the upstream router has none of the prefixes, failing early if the daemon exits. */
    void awaitUpstreamLacks(IpPrefix... prefixes) {
        await("upstream router loses " + List.of(prefixes)).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Set<IpPrefix> routes = lab.upstream().routes();
                    return !daemon.process.isAlive() || Arrays.stream(prefixes).noneMatch(routes::contains);
                });
        assertStillRunning();
        assertThat(lab.upstream().routes()).doesNotContain(prefixes);
    }

    /** Waits until the daemon's standard output contains {@code text}, failing early if the daemon exits. */
    void awaitLog(String text) {
        await("the log says " + text).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> !daemon.process.isAlive() || daemon.out().contains(text));
        assertThat(daemon.out()).contains(text);
    }

    private void assertStillRunning() {
        assertThat(daemon.process.isAlive()).as("anycastd is still running; its output:\n%s%s", daemon.out(), daemon.err()).isTrue();
    }

    /** Runs {@code ip} with {@code args}, asserting that it succeeds. */
    static void ip(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ip().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s", command).isZero();
    }

    private static Path ip() {
        return IP_CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElseThrow();
    }

    private Path launcher() {
        return home.resolve("bin/anycastd");
    }

    /** Kills the daemon if it still runs, prints its output and stops the fake Cabourotte. */
    @Override
    public void close() {
        if (daemon != null) {
            daemon.process.destroyForcibly();
            printOutput(daemon);
        }
        cabourotte.close();
    }

    /** Kept in the failsafe report: the daemon's own account of a failed test. */
    static void printOutput(LauncherProcess launcher) {
        System.out.println("anycastd's standard output:\n" + launcher.out() + "\nanycastd's standard error:\n" + launcher.err());
    }
}
