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
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * anycastd as operators run it, with every part real but the health checker: the launcher
 * from the tarball as a process, a configuration file, two FRRouting routers in network
 * namespaces peering over eBGP (anycastd drives the host router through its vtysh; the
 * upstream router's BGP table is the verdict), the testkit's fake Cabourotte, and real
 * signals. Each test uses prefixes of its own, so one lab serves the class.
 */
@ExtendWith(FrrLabExtension.class)
class AnycastEndToEndIT {

    private static final IpPrefix DNS_V4 = IpPrefix.parse("203.0.113.53");
    private static final IpPrefix DNS_V6 = IpPrefix.parse("2001:db8::53");
    private static final IpPrefix NTP = IpPrefix.parse("203.0.113.123");
    private static final IpPrefix WEB_V4 = IpPrefix.parse("203.0.113.80");
    private static final IpPrefix WEB_V6 = IpPrefix.parse("2001:db8::80");
    private static final IpPrefix API = IpPrefix.parse("203.0.113.81");
    private static final IpPrefix SMTP = IpPrefix.parse("203.0.113.25");
    private static final IpPrefix IMAP_V4 = IpPrefix.parse("203.0.113.143");
    private static final IpPrefix IMAP_V6 = IpPrefix.parse("2001:db8::143");
    private static final IpPrefix LEFTOVER = IpPrefix.parse("203.0.113.99");
    private static final IpPrefix BLUE = IpPrefix.parse("203.0.113.200");
    private static final IpPrefix KEPT = IpPrefix.parse("203.0.113.101");
    private static final IpPrefix REMOVED = IpPrefix.parse("203.0.113.102");

    /** Upper bound for anything the daemon does; the lab's own waits are 10 s a prefix set. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    static Path installation;

    static Path home;

    @TempDir
    Path work;

    private final FrrLab lab;
    private FakeCabourotte cabourotte;
    private LauncherProcess launcher;

    AnycastEndToEndIT(FrrLab lab) {
        this.lab = lab;
    }

    @BeforeAll
    static void unpackTheTarballAndPutTheServiceAddressesOnTheHost(FrrLab lab) throws Exception {
        home = Tarball.unpack(installation);
        // As on a real anycast host: the service addresses are on lo, so FRR's import check advertises them.
        lab.host().addLoopbackAddresses(List.of(DNS_V4, DNS_V6, NTP, WEB_V4, WEB_V6, API, SMTP, IMAP_V4, IMAP_V6, LEFTOVER, BLUE, KEPT, REMOVED));
    }

    @BeforeEach
    void startTheFakeCabourotte() {
        cabourotte = FakeCabourotte.start();
    }

    @AfterEach
    void stopWhatTheTestStarted() {
        if (launcher != null) {
            launcher.process.destroyForcibly();
            // Kept in the failsafe report: the daemon's own account of a failed test.
            System.out.println("anycastd's standard output:\n" + launcher.out() + "\nanycastd's standard error:\n" + launcher.err());
        }
        cabourotte.close();
    }

    @Test
    void atStartTheUpstreamRouterLearnsThePrefixesOfHealthyServicesOnly() throws Exception {
        cabourotte.healthy("dns").failing("ntp", "NTP server not synchronised");

        launcher = run(service("dns", "dns", DNS_V4, DNS_V6) + service("ntp", "ntp", NTP));

        awaitUpstreamHas(DNS_V4, DNS_V6);
        // Several results of the failing check have been read by now, each of them a chance to announce wrongly.
        await().atMost(PATIENCE).until(() -> cabourotte.requestCount("ntp") >= 3);
        assertThat(lab.upstream().routes()).contains(DNS_V4, DNS_V6).doesNotContain(NTP);
        assertThat(lab.host().runningConfig()).contains("network " + DNS_V4, "network " + DNS_V6).doesNotContain("network " + NTP);
        assertThat(launcher.out()).contains("Cabourotte check \"ntp\" is failing in Cabourotte: NTP server not synchronised",
                "Service \"dns\" is now considered healthy, announcing related prefixes.")
                .doesNotContain("Service \"ntp\" is now considered healthy");

        terminate(launcher);
        lab.upstream().awaitNoRoute(DNS_V4, DNS_V6);
    }

    @Test
    void aFailingCheckWithdrawsItsServicesPrefixesUpstreamAndRecoveryBringsThemBack() throws Exception {
        cabourotte.healthy("web").healthy("api");
        launcher = run(service("web", "web", WEB_V4, WEB_V6) + service("api", "api", API));
        awaitUpstreamHas(WEB_V4, WEB_V6, API);

        cabourotte.failing("web", "HTTP 503 on /health");

        awaitUpstreamLacks(WEB_V4, WEB_V6);
        assertThat(lab.upstream().routes()).as("the other service is unaffected").contains(API);
        assertThat(launcher.out()).contains("Service \"web\" is now considered unhealthy, denouncing related prefixes:",
                "HTTP 503 on /health");

        cabourotte.healthy("web");

        awaitUpstreamHas(WEB_V4, WEB_V6, API);

        terminate(launcher);
        lab.upstream().awaitNoRoute(WEB_V4, WEB_V6, API);
    }

    @Test
    void sigtermWithdrawsEveryPrefixUpstreamLogsItAndExits0() throws Exception {
        cabourotte.healthy("smtp").healthy("imap");
        launcher = run(service("smtp", "smtp", SMTP) + service("imap", "imap", IMAP_V4, IMAP_V6));
        awaitUpstreamHas(SMTP, IMAP_V4, IMAP_V6);

        int exitCode = terminate(launcher);

        assertThat(exitCode).as(launcher.err()).isZero();
        // Withdrawn in FRR before the process exited; the upstream router needs a moment to hear of it.
        assertThat(lab.host().runningConfig()).doesNotContain("network " + SMTP, "network " + IMAP_V4, "network " + IMAP_V6);
        lab.upstream().awaitNoRoute(SMTP, IMAP_V4, IMAP_V6);
        assertThat(launcher.out()).contains("Received SIGTERM, terminating.", "Service \"smtp\" terminated.",
                "Service \"imap\" terminated.");
        assertThat(launcher.err()).isEmpty();
    }

    @Test
    void aPrefixLeftAnnouncedByAKilledDaemonIsWithdrawnWhenItStartsAgainWithTheCheckFailing() throws Exception {
        cabourotte.healthy("leftover");
        Path config = configuration(service("leftover", "leftover", LEFTOVER));
        launcher = launch("run", "-c", config.toString());
        awaitUpstreamHas(LEFTOVER);

        launcher.process.destroyForcibly();

        assertThat(launcher.waitFor()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(lab.host().runningConfig()).as("nothing withdrew it").contains("network " + LEFTOVER);
        assertThat(lab.upstream().routes()).contains(LEFTOVER);

        cabourotte.failing("leftover", "service down");
        launcher = launch("run", "-c", config.toString());

        awaitUpstreamLacks(LEFTOVER);
        assertThat(lab.host().runningConfig()).doesNotContain("network " + LEFTOVER);
        assertThat(launcher.process.isAlive()).as("it keeps running, waiting for the check to pass").isTrue();

        assertThat(terminate(launcher)).isZero();
    }

    @Test
    void aPrefixAnnouncedBeforeACrashAndRemovedFromTheConfigurationIsWithdrawnAtTheNextStart() throws Exception {
        cabourotte.healthy("kept").healthy("removed");
        launcher = run(service("kept", "kept", KEPT) + service("removed", "removed", REMOVED));
        awaitUpstreamHas(KEPT, REMOVED);

        launcher.process.destroyForcibly();
        assertThat(launcher.waitFor()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(lab.upstream().routes()).as("nothing withdrew them").contains(KEPT, REMOVED);

        launcher = run(service("kept", "kept", KEPT));

        awaitUpstreamLacks(REMOVED);
        awaitUpstreamHas(KEPT);
        assertThat(lab.host().runningConfig()).doesNotContain("network " + REMOVED);
        assertThat(launcher.out()).contains("Withdrew " + REMOVED + " (frrouting): an earlier run announced it, and the"
                + " configuration no longer names it.");

        assertThat(terminate(launcher)).isZero();
        lab.upstream().awaitNoRoute(KEPT);
        assertThat(Files.readString(work.resolve("state").resolve(StateDirectory.ANNOUNCED)))
                .as("a clean stop leaves nothing recorded").doesNotContain(KEPT.toString(), REMOVED.toString());
    }

    @Test
    void runExits78WithOneParagraphWhenFrrHasNoBgpInTheConfiguredVrf() throws Exception {
        cabourotte.healthy("blue");
        Path config = configuration("""
                [services.blue]
                prefixes.frrouting = [{ prefix = "%s", vrf = "blue", vtysh = "%s" }]
                checks.cabourotte = [{ name = "blue", url = "%s" }]
                """.formatted(BLUE, lab.host().vtysh(), cabourotte.url()));

        launcher = launch("run", "-c", config.toString());

        assertThat(launcher.waitFor()).as(launcher.out()).isEqualTo(78);
        assertThat(launcher.err()).startsWith("anycastd: the routing daemon cannot carry a prefix; fix it and start again:\n"
                        + "  service \"blue\", prefix " + BLUE + " (")
                .contains("prefix " + BLUE + " (frrouting, vrf blue): there is no \"router bgp\" in FRR's VRF \"blue\"")
                .doesNotContain("\tat ", "Exception")
                .endsWith("\n");
        assertThat(launcher.err().lines()).as("one paragraph").noneMatch(String::isBlank);
        assertThat(lab.host().runningConfig()).doesNotContain("network " + BLUE);
    }

    /** {@code [services.NAME]} with the prefixes announced through the lab's host router and one check read every 500 ms. */
    private String service(String name, String check, IpPrefix... prefixes) {
        String items = Arrays.stream(prefixes)
                .map(prefix -> "{ prefix = \"%s\", vtysh = \"%s\" }".formatted(prefix, lab.host().vtysh()))
                .collect(Collectors.joining(", "));
        return """
                [services.%s]
                prefixes.frrouting = [%s]
                checks.cabourotte = [{ name = "%s", url = "%s", interval = "500ms" }]

                """.formatted(name, items, check, cabourotte.url());
    }

    private Path configuration(String toml) throws IOException {
        return Files.writeString(Files.createTempFile(work, "config", ".toml"), toml);
    }

    private LauncherProcess run(String toml) throws IOException {
        return launch("run", "--config", configuration(toml).toString());
    }

    /** The packaged launcher with human logs without colour: what an operator reads on a terminal. */
    private LauncherProcess launch(String... args) throws IOException {
        return LauncherProcess.start(home.resolve("bin/anycastd"), work, Map.of("LOG_FORMAT", "human", "NO_COLOR", "1"), args);
    }

    /** Sends SIGTERM by process id, as systemd does, and answers the exit code. */
    private static int terminate(LauncherProcess launcher) throws Exception {
        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(launcher.process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
        return launcher.waitFor();
    }

    /** Waits until the upstream router has every prefix, failing early (with the daemon's output) if the daemon exits. */
    private void awaitUpstreamHas(IpPrefix... prefixes) {
        await("upstream router learns " + List.of(prefixes)).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> !launcher.process.isAlive() || lab.upstream().routes().containsAll(List.of(prefixes)));
        assertThat(launcher.process.isAlive()).as("anycastd is still running; its output:\n%s%s", launcher.out(), launcher.err()).isTrue();
        assertThat(lab.upstream().routes()).contains(prefixes);
    }

    /** Waits until the upstream router has none of the prefixes, failing early if the daemon exits. */
    private void awaitUpstreamLacks(IpPrefix... prefixes) {
        await("upstream router loses " + List.of(prefixes)).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Set<IpPrefix> routes = lab.upstream().routes();
                    return !launcher.process.isAlive() || Arrays.stream(prefixes).noneMatch(routes::contains);
                });
        assertThat(launcher.process.isAlive()).as("anycastd is still running; its output:\n%s%s", launcher.out(), launcher.err()).isTrue();
        assertThat(lab.upstream().routes()).doesNotContain(prefixes);
    }
}
