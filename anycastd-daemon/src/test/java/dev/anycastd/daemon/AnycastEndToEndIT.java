package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.testkit.cabourotte.FakeCabourotte;
import dev.anycastd.testkit.frr.FrrLab;
import dev.anycastd.testkit.frr.FrrLabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @TempDir
    static Path installation;

    static Path home;

    @TempDir
    Path work;

    private final FrrLab lab;
    private EndToEndLab e2e;
    private FakeCabourotte cabourotte;

    AnycastEndToEndIT(FrrLab lab) {
        this.lab = lab;
    }

    @BeforeAll
    static void unpackTheTarballAndPutTheServiceAddressesOnTheHost(FrrLab lab) throws Exception {
        home = EndToEndLab.unpack(installation, lab,
                List.of(DNS_V4, DNS_V6, NTP, WEB_V4, WEB_V6, API, SMTP, IMAP_V4, IMAP_V6, LEFTOVER, BLUE, KEPT, REMOVED));
    }

    @BeforeEach
    void startTheFakeCabourotte() {
        e2e = new EndToEndLab(lab, home, work);
        cabourotte = e2e.cabourotte();
    }

    @AfterEach
    void stopWhatTheTestStarted() {
        e2e.close();
    }

    @Test
    void atStartTheUpstreamRouterLearnsThePrefixesOfHealthyServicesOnly() throws Exception {
        cabourotte.healthy("dns").failing("ntp", "NTP server not synchronised");

        LauncherProcess launcher = e2e.run(service("dns", "dns", DNS_V4, DNS_V6) + service("ntp", "ntp", NTP));

        e2e.awaitUpstreamHas(DNS_V4, DNS_V6);
        // Several results of the failing check have been read by now, each of them a chance to announce wrongly.
        await().atMost(EndToEndLab.PATIENCE).until(() -> cabourotte.readCount("ntp") >= 3);
        assertThat(lab.upstream().routes()).contains(DNS_V4, DNS_V6).doesNotContain(NTP);
        assertThat(lab.host().runningConfig()).contains("network " + DNS_V4, "network " + DNS_V6).doesNotContain("network " + NTP);
        assertThat(launcher.out()).contains("Cabourotte check \"ntp\" is failing in Cabourotte: NTP server not synchronised",
                "Service \"dns\" is now considered healthy, announcing related prefixes.")
                .doesNotContain("Service \"ntp\" is now considered healthy");

        e2e.terminate();
        lab.upstream().awaitNoRoute(DNS_V4, DNS_V6);
    }

    @Test
    void aFailingCheckWithdrawsItsServicesPrefixesUpstreamAndRecoveryBringsThemBack() throws Exception {
        cabourotte.healthy("web").healthy("api");
        LauncherProcess launcher = e2e.run(service("web", "web", WEB_V4, WEB_V6) + service("api", "api", API));
        e2e.awaitUpstreamHas(WEB_V4, WEB_V6, API);

        cabourotte.failing("web", "HTTP 503 on /health");

        e2e.awaitUpstreamLacks(WEB_V4, WEB_V6);
        assertThat(lab.upstream().routes()).as("the other service is unaffected").contains(API);
        assertThat(launcher.out()).contains("Service \"web\" is now considered unhealthy, denouncing related prefixes:",
                "HTTP 503 on /health");

        cabourotte.healthy("web");

        e2e.awaitUpstreamHas(WEB_V4, WEB_V6, API);

        e2e.terminate();
        lab.upstream().awaitNoRoute(WEB_V4, WEB_V6, API);
    }

    @Test
    void sigtermWithdrawsEveryPrefixUpstreamLogsItAndExits0() throws Exception {
        cabourotte.healthy("smtp").healthy("imap");
        LauncherProcess launcher = e2e.run(service("smtp", "smtp", SMTP) + service("imap", "imap", IMAP_V4, IMAP_V6));
        e2e.awaitUpstreamHas(SMTP, IMAP_V4, IMAP_V6);

        int exitCode = e2e.terminate();

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
        Path config = e2e.configuration(service("leftover", "leftover", LEFTOVER));
        LauncherProcess launcher = e2e.start("run", "-c", config.toString());
        e2e.awaitUpstreamHas(LEFTOVER);

        int killed = e2e.kill();

        assertThat(killed).as("killed by SIGKILL").isEqualTo(137);
        assertThat(lab.host().runningConfig()).as("nothing withdrew it").contains("network " + LEFTOVER);
        assertThat(lab.upstream().routes()).contains(LEFTOVER);

        cabourotte.failing("leftover", "service down");
        launcher = e2e.start("run", "-c", config.toString());

        e2e.awaitUpstreamLacks(LEFTOVER);
        assertThat(lab.host().runningConfig()).doesNotContain("network " + LEFTOVER);
        assertThat(launcher.process.isAlive()).as("it keeps running, waiting for the check to pass").isTrue();

        assertThat(e2e.terminate()).isZero();
    }

    @Test
    void aPrefixAnnouncedBeforeACrashAndRemovedFromTheConfigurationIsWithdrawnAtTheNextStart() throws Exception {
        cabourotte.healthy("kept").healthy("removed");
        LauncherProcess launcher = e2e.run(service("kept", "kept", KEPT) + service("removed", "removed", REMOVED));
        e2e.awaitUpstreamHas(KEPT, REMOVED);

        assertThat(e2e.kill()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(lab.upstream().routes()).as("nothing withdrew them").contains(KEPT, REMOVED);

        launcher = e2e.run(service("kept", "kept", KEPT));

        e2e.awaitUpstreamLacks(REMOVED);
        e2e.awaitUpstreamHas(KEPT);
        assertThat(lab.host().runningConfig()).doesNotContain("network " + REMOVED);
        assertThat(launcher.out()).contains("Withdrew " + REMOVED + " (frrouting): an earlier run announced it, and the"
                + " configuration no longer names it.");

        assertThat(e2e.terminate()).isZero();
        lab.upstream().awaitNoRoute(KEPT);
        assertThat(Files.readString(work.resolve("state").resolve(StateDirectory.ANNOUNCED)))
                .as("a clean stop leaves nothing recorded").doesNotContain(KEPT.toString(), REMOVED.toString());
    }

    @Test
    void runExits78WithOneParagraphWhenFrrHasNoBgpInTheConfiguredVrf() throws Exception {
        cabourotte.healthy("blue");
        Path config = e2e.configuration("""
                [services.blue]
                prefixes.frrouting = [{ prefix = "%s", vrf = "blue", vtysh = "%s" }]
                checks.cabourotte = [{ name = "blue", url = "%s" }]
                """.formatted(BLUE, lab.host().vtysh(), cabourotte.url()));

        LauncherProcess launcher = e2e.start("run", "-c", config.toString());

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
        return e2e.service(name, check, "500ms", prefixes);
    }
}
