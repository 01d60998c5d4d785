package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.testkit.cabourotte.FakeCabourotte;
import dev.anycastd.testkit.frr.FrrLab;
import dev.anycastd.testkit.frr.FrrLabExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service policy keys (require, on-change, require-local) as the packaged daemon runs them
 * in the FRR lab; the upstream router's BGP table is the verdict, as in {@link OperatingEndToEndIT}.
 */
@ExtendWith(FrrLabExtension.class)
class PolicyEndToEndIT {

    private static final IpPrefix ANY = IpPrefix.parse("203.0.113.181");
    private static final IpPrefix HOOKED = IpPrefix.parse("203.0.113.182");
    private static final IpPrefix HANGING = IpPrefix.parse("203.0.113.183");
    private static final IpPrefix OTHER = IpPrefix.parse("203.0.113.184");
    private static final IpPrefix GUARDED = IpPrefix.parse("203.0.113.185");
    private static final IpPrefix UNGUARDED = IpPrefix.parse("203.0.113.186");
    private static final List<Path> IP_CANDIDATES = List.of(Path.of("/usr/sbin/ip"), Path.of("/sbin/ip"), Path.of("/usr/bin/ip"),
            Path.of("/bin/ip"));

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String HANG_KILLED = "The hook of service \"hanging\" did not finish";

    @TempDir
    static Path installation;

    static Path home;

    @TempDir
    Path work;

    private final FrrLab lab;
    private FakeCabourotte cabourotte;
    private LauncherProcess daemon;

    PolicyEndToEndIT(FrrLab lab) {
        this.lab = lab;
    }

    @BeforeAll
    static void unpackTheTarballAndPutTheServiceAddressesOnTheHost(FrrLab lab) throws Exception {
        home = Tarball.unpack(installation);
        lab.host().addLoopbackAddresses(List.of(ANY, HOOKED, HANGING, OTHER, GUARDED, UNGUARDED));
    }

    @BeforeEach
    void startTheFakeCabourotte() {
        cabourotte = FakeCabourotte.start();
    }

    @AfterEach
    void stopWhatTheTestStarted() {
        if (daemon != null) {
            daemon.process.destroyForcibly();
            System.out.println("anycastd's standard output:\n" + daemon.out() + "\nanycastd's standard error:\n" + daemon.err());
        }
        cabourotte.close();
    }

    @Test
    void requireAnyAnnouncesWithOneOfTwoChecksPassingAndWithdrawsWhenBothFail() throws Exception {
        cabourotte.failing("any_a", "connection refused").healthy("any_b");
        daemon = run(service("any", List.of("any_a", "any_b"), "require = \"any\"", ANY));

        awaitUpstreamHas(ANY);
        assertThat(daemon.out()).contains("Service \"any\" is now considered healthy, announcing related prefixes.")
                .contains("1 of 2 checks pass, 1 required; failing: any_a (");
        LauncherProcess status = launch("status", "any");
        assertThat(status.waitFor()).as(status.err()).isZero();
        assertThat(status.out()).contains("1 of 2 checks pass, 1 required; failing: any_a (");

        cabourotte.failing("any_b", "SERVFAIL");
        awaitUpstreamLacks(ANY);
        assertThat(daemon.out()).contains("Service \"any\" is now considered unhealthy, denouncing related prefixes:"
                + " 0 of 2 checks pass, 1 required; failing: any_a (");

        cabourotte.healthy("any_a");
        awaitUpstreamHas(ANY);
        assertThat(terminate(daemon)).isZero();
        lab.upstream().awaitNoRoute(ANY);
    }

    @Test
    void aHooksOutputIsLoggedWithTheServiceNameAndAHangingHookIsKilledAtItsTimeoutWhileRoutingGoesOn() throws Exception {
        Path sleepPid = work.resolve("sleep.pid");
        Path talker = script("talker", "echo \"$ANYCASTD_SERVICE went from $ANYCASTD_OLD_STATE to $ANYCASTD_NEW_STATE:"
                + " $ANYCASTD_PREFIXES ($ANYCASTD_REASON)\"");
        Path hanger = script("hanger", "[ -e " + sleepPid + " ] || { sleep 600 & echo $! > " + sleepPid + "; wait; }");
        cabourotte.healthy("hooked").healthy("hanging").healthy("other");
        daemon = run(service("hooked", List.of("hooked"), "on-change = [\"" + talker + "\"]", HOOKED)
                + service("hanging", List.of("hanging"), "on-change = [\"" + hanger + "\"]\non-change-timeout = \"10s\"", HANGING)
                + service("other", List.of("other"), "", OTHER));

        awaitUpstreamHas(HOOKED, HANGING, OTHER);
        awaitLog("Hook of service \"hooked\" (stdout): hooked went from withdrawn to announced: " + HOOKED
                + " (all checks healthy)");
        assertThat(daemon.out()).contains("stream=stdout");
        await().atMost(PATIENCE).until(() -> Files.exists(sleepPid) && !Files.readString(sleepPid).isBlank());
        long sleep = Long.parseLong(Files.readString(sleepPid).strip());
        assertThat(ProcessHandle.of(sleep)).as("the hanging hook's sleep runs").hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        // While the hook hangs, the same service and another one change, and the upstream router sees both.
        cabourotte.failing("hanging", "down").failing("other", "down");
        awaitUpstreamLacks(HANGING, OTHER);
        assertThat(daemon.out()).as("routing went on while the hook hung").doesNotContain(HANG_KILLED);
        cabourotte.healthy("other");
        awaitUpstreamHas(OTHER);
        assertThat(daemon.out()).doesNotContain(HANG_KILLED);

        awaitLog(HANG_KILLED + " within 10000 ms; killed it and the 1 processes it started.");
        await("the hook's sleep is killed").atMost(PATIENCE)
                .until(() -> ProcessHandle.of(sleep).map(process -> !process.isAlive()).orElse(true));
        // The change that came during the hang ran after it, coalesced, and finished (the marker file is there now).
        awaitLog("The hook of service \"hanging\" finished.");
        assertThat(terminate(daemon)).isZero();
        // At exit (or earlier, if a check of this loaded machine timed out) the withdrawal ran the hook too.
        assertThat(daemon.out()).contains("Hook of service \"hooked\" (stdout): hooked went from announced to withdrawn: " + HOOKED);
    }

    @Test
    void removingTheAddressFromLoWithdrawsItsPrefixUpstreamAndPuttingItBackAnnouncesItAgain() throws Exception {
        // The address is on the veth too, so FRR's own import check keeps the network valid: only the guard withdraws it.
        ip("-n", lab.host().namespace(), "address", "replace", GUARDED.toString(), "dev", lab.host().interfaceName());
        Path config = configuration("""
                [services.guarded]
                prefixes.frrouting = [{ prefix = "%1$s", vtysh = "%3$s", require-local = true, interface = "lo" },
                                      { prefix = "%2$s", vtysh = "%3$s" }]
                checks.address = [{ address = "127.0.0.1", name = "loopback", interval = "200ms" }]
                """.formatted(GUARDED, UNGUARDED, lab.host().vtysh()));
        LauncherProcess check = launch("check-config", "-c", config.toString());
        assertThat(check.waitFor()).as(check.err()).isZero();
        assertThat(check.out()).contains("guards:   " + GUARDED.address().getHostAddress() + " on interface lo");
        // In the host router's namespace, where lo carries the service addresses.
        daemon = LauncherProcess.start(ip(), work, Map.of("LOG_FORMAT", "human", "NO_COLOR", "1"), "netns", "exec",
                lab.host().namespace(), home.resolve("bin/anycastd").toString(), "run", "-c", config.toString());
        awaitUpstreamHas(GUARDED, UNGUARDED);

        ip("-n", lab.host().namespace(), "address", "del", GUARDED + "", "dev", "lo");

        awaitUpstreamLacks(GUARDED, UNGUARDED);
        assertThat(lab.host().runningConfig()).as("anycastd withdrew it, not FRR's import check").doesNotContain("network " + GUARDED);
        awaitLog("203.0.113.185 is not on interface lo");

        lab.host().addLoopbackAddresses(List.of(GUARDED));
        awaitUpstreamHas(GUARDED, UNGUARDED);
        assertThat(terminate(daemon)).isZero();
        lab.upstream().awaitNoRoute(GUARDED, UNGUARDED);
    }

    private void awaitLog(String text) {
        await("the log says " + text).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> !daemon.process.isAlive() || daemon.out().contains(text));
        assertThat(daemon.out()).contains(text);
    }

    private Path script(String name, String body) throws IOException {
        Path script = Files.writeString(work.resolve(name), "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** {@code [services.NAME]} announced through the lab's host router, with checks read every second, and more lines. */
    private String service(String name, List<String> checks, String more, IpPrefix... prefixes) {
        String items = String.join(", ", Arrays.stream(prefixes)
                .map(prefix -> "{ prefix = \"%s\", vtysh = \"%s\" }".formatted(prefix, lab.host().vtysh())).toList());
        String checkItems = String.join(", ", checks.stream()
                .map(check -> "{ name = \"%s\", url = \"%s\", interval = \"1s\" }".formatted(check, cabourotte.url())).toList());
        return """
                [services.%s]
                prefixes.frrouting = [%s]
                checks.cabourotte = [%s]
                %s

                """.formatted(name, items, checkItems, more);
    }

    private Path configuration(String toml) throws IOException {
        return Files.writeString(Files.createTempFile(work, "config", ".toml"), toml);
    }

    private LauncherProcess run(String toml) throws IOException {
        return launch("run", "--config", configuration(toml).toString());
    }

    private LauncherProcess launch(String... args) throws IOException {
        return LauncherProcess.start(home.resolve("bin/anycastd"), work, Map.of("LOG_FORMAT", "human", "NO_COLOR", "1"), args);
    }

    private static Path ip() {
        return IP_CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElseThrow();
    }

    private static void ip(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ip().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s", command).isZero();
    }

    private static int terminate(LauncherProcess launcher) throws Exception {
        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(launcher.process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return launcher.waitFor();
    }

    private void awaitUpstreamHas(IpPrefix... prefixes) {
        await("upstream router learns " + List.of(prefixes)).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> !daemon.process.isAlive() || lab.upstream().routes().containsAll(List.of(prefixes)));
        assertThat(daemon.process.isAlive()).as("anycastd is still running; its output:\n%s%s", daemon.out(), daemon.err()).isTrue();
        assertThat(lab.upstream().routes()).contains(prefixes);
    }

    private void awaitUpstreamLacks(IpPrefix... prefixes) {
        await("upstream router loses " + List.of(prefixes)).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Set<IpPrefix> routes = lab.upstream().routes();
                    return !daemon.process.isAlive() || Arrays.stream(prefixes).noneMatch(routes::contains);
                });
        assertThat(daemon.process.isAlive()).as("anycastd is still running; its output:\n%s%s", daemon.out(), daemon.err()).isTrue();
        assertThat(lab.upstream().routes()).doesNotContain(prefixes);
    }
}
