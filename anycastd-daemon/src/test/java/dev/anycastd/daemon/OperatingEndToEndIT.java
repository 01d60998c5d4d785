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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's commands (status, drain, resume, check-now) as the packaged launcher runs them
 * against a running packaged daemon in the FRR lab; the upstream router's BGP table is the
 * verdict, as in {@link AnycastEndToEndIT}. The daemon and the commands of one test share its
 * work directory, hence its control socket ({@code RUNTIME_DIRECTORY}) and state directory.
 */
@ExtendWith(FrrLabExtension.class)
class OperatingEndToEndIT {

    private static final IpPrefix STATUS_OK = IpPrefix.parse("203.0.113.161");
    private static final IpPrefix STATUS_FAILING = IpPrefix.parse("203.0.113.162");
    private static final IpPrefix DRAINED = IpPrefix.parse("203.0.113.163");
    private static final IpPrefix DRAINED_V6 = IpPrefix.parse("2001:db8::163");
    private static final IpPrefix UNDRAINED = IpPrefix.parse("203.0.113.164");
    private static final IpPrefix CHECKED = IpPrefix.parse("203.0.113.165");
    private static final IpPrefix KEPT = IpPrefix.parse("203.0.113.171");
    private static final IpPrefix REMOVED = IpPrefix.parse("203.0.113.172");
    private static final IpPrefix CHANGED_BEFORE = IpPrefix.parse("203.0.113.173");
    private static final IpPrefix CHANGED_AFTER = IpPrefix.parse("203.0.113.174");
    private static final IpPrefix ADDED = IpPrefix.parse("203.0.113.175");
    /** The BGP table version at which a prefix's entry last changed: a withdrawal or a new UPDATE raises it. */
    private static final Pattern TABLE_VERSION = Pattern.compile("^\\{\\s*\"prefix\":\\s*\"[^\"]+\",\\s*\"version\":\\s*(\\d+)");

    @TempDir
    static Path installation;

    static Path home;

    @TempDir
    Path work;

    private final FrrLab lab;
    private EndToEndLab e2e;
    private FakeCabourotte cabourotte;

    OperatingEndToEndIT(FrrLab lab) {
        this.lab = lab;
    }

    @BeforeAll
    static void unpackTheTarballAndPutTheServiceAddressesOnTheHost(FrrLab lab) throws Exception {
        home = EndToEndLab.unpack(installation, lab, List.of(STATUS_OK, STATUS_FAILING, DRAINED, DRAINED_V6, UNDRAINED, CHECKED,
                KEPT, REMOVED, CHANGED_BEFORE, CHANGED_AFTER, ADDED));
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
    void statusExits1WhileAServiceIsWithdrawn0WhenAllAreAnnouncedAnd69WhenTheDaemonIsGone() throws Exception {
        cabourotte.healthy("ok").failing("failing", "connection refused");
        e2e.run(e2e.service("ok", "ok", "500ms", STATUS_OK)
                + e2e.service("failing", "failing", "500ms", STATUS_FAILING));
        e2e.awaitUpstreamHas(STATUS_OK);
        await().atMost(EndToEndLab.PATIENCE).until(() -> cabourotte.readCount("failing") >= 2);

        LauncherProcess status = e2e.command("status");

        assertThat(status.waitFor()).as(status.err()).isEqualTo(1);
        assertThat(status.out()).containsPattern("(?m)^ok +announced +\\S+ ago +all checks healthy$")
                .containsPattern("(?m)^failing +withdrawn +\\S+ ago +check failing: unhealthy: .*connection refused")
                .contains("  prefix " + STATUS_OK + " (frrouting): announced at the router")
                .contains("  prefix " + STATUS_FAILING + " (frrouting): withdrawn at the router");
        LauncherProcess json = e2e.command("status", "failing", "--json");
        assertThat(json.waitFor()).isEqualTo(1);
        assertThat(json.out()).startsWith("{\"version\":1,\"ok\":true,").contains("\"name\":\"failing\",\"state\":\"withdrawn\"")
                .doesNotContain("\"name\":\"ok\"");

        cabourotte.healthy("failing");
        e2e.awaitUpstreamHas(STATUS_OK, STATUS_FAILING);
        await().atMost(EndToEndLab.PATIENCE).until(() -> e2e.command("status").waitFor() == 0);

        assertThat(e2e.terminate()).isZero();
        LauncherProcess gone = e2e.command("status");
        assertThat(gone.waitFor()).isEqualTo(69);
        assertThat(gone.err()).isEqualTo("anycastd: anycastd is not running: nothing answers on "
                + work.resolve("run/control.sock") + " (see --control-socket)\n");
    }

    @Test
    void aDrainWithdrawsUpstreamSurvivesSigkillAndRestartAndResumeAnnouncesAgain() throws Exception {
        cabourotte.healthy("drained").healthy("undrained");
        Path config = e2e.configuration(e2e.service("drained", "drained", "500ms", DRAINED, DRAINED_V6)
                + e2e.service("undrained", "undrained", "500ms", UNDRAINED));
        LauncherProcess daemon = e2e.start("run", "-c", config.toString());
        e2e.awaitUpstreamHas(DRAINED, DRAINED_V6, UNDRAINED);

        LauncherProcess drain = e2e.command("drain", "drained", "--reason", "kernel update");
        assertThat(drain.waitFor()).as(drain.err()).isZero();
        assertThat(drain.out()).isEqualTo("Drained service \"drained\" until resumed: kernel update.\n");

        e2e.awaitUpstreamLacks(DRAINED, DRAINED_V6);
        assertThat(lab.upstream().routes()).as("the other service is unaffected").contains(UNDRAINED);

        assertThat(e2e.kill()).as("killed by SIGKILL").isEqualTo(137);
        daemon = e2e.start("run", "-c", config.toString());
        e2e.awaitUpstreamHas(UNDRAINED);
        // Healthy results have come in since the restart, each a chance to announce the drained service wrongly.
        int seen = cabourotte.readCount("drained");
        await().atMost(EndToEndLab.PATIENCE).until(() -> cabourotte.readCount("drained") >= seen + 3);
        assertThat(lab.upstream().routes()).doesNotContain(DRAINED, DRAINED_V6);
        assertThat(lab.host().runningConfig()).doesNotContain("network " + DRAINED);
        assertThat(daemon.out()).contains("Service \"drained\" stays drained, as recorded by an earlier run.")
                .doesNotContain("Service \"drained\" is now considered healthy");
        LauncherProcess status = e2e.command("status", "drained");
        assertThat(status.waitFor()).as("drained is as wanted").isZero();
        assertThat(status.out()).containsPattern("(?m)^drained +drained +\\S+ ago +drained by the operator: kernel update$");

        LauncherProcess unknown = e2e.command("drain", "nope");
        assertThat(unknown.waitFor()).isEqualTo(64);
        assertThat(unknown.err()).isEqualTo("anycastd: no service named \"nope\"; known: [drained, undrained]\n");

        LauncherProcess resume = e2e.command("resume", "--all");
        assertThat(resume.waitFor()).as(resume.err()).isZero();

        e2e.awaitUpstreamHas(DRAINED, DRAINED_V6, UNDRAINED);
        assertThat(e2e.terminate()).isZero();
        lab.upstream().awaitNoRoute(DRAINED, DRAINED_V6, UNDRAINED);
    }

    @Test
    void aSecondDaemonIsRefusedWithoutTouchingTheFirstOnesPrefixes() throws Exception {
        cabourotte.healthy("undrained");
        Path config = e2e.configuration(e2e.service("undrained", "undrained", "500ms", UNDRAINED));
        e2e.start("run", "-c", config.toString());
        e2e.awaitUpstreamHas(UNDRAINED);

        LauncherProcess second = e2e.command("run", "-c", config.toString());

        assertThat(second.waitFor()).isEqualTo(73);
        assertThat(second.err()).isEqualTo("anycastd: another anycastd is running: it answers on the control socket "
                + work.resolve("run/control.sock") + "; two daemons must not drive one router. Stop it first, or give this"
                + " one another --control-socket if it drives another router\n");
        assertThat(second.out()).doesNotContain("Starting service");
        assertThat(lab.upstream().routes()).contains(UNDRAINED);
        assertThat(lab.host().runningConfig()).contains("network " + UNDRAINED);
        assertThat(e2e.terminate()).isZero();
    }

    @Test
    void checkNowRunsAChecksNextRunAtOnceAndPrintsIt() throws Exception {
        cabourotte.healthy("checked");
        // An hour between runs: only check-now can find out that the check fails.
        LauncherProcess daemon = e2e.run(e2e.service("checked", "checked", "1h", CHECKED));
        e2e.awaitUpstreamHas(CHECKED);
        cabourotte.failing("checked", "SERVFAIL");

        LauncherProcess checkNow = e2e.command("check-now", "checked");

        assertThat(checkNow.waitFor()).as(checkNow.err()).isEqualTo(1);
        assertThat(checkNow.out()).startsWith("checked: check checked: unhealthy: ").contains("SERVFAIL");
        e2e.awaitUpstreamLacks(CHECKED);

        cabourotte.healthy("checked");
        e2e.signal("URG");

        e2e.awaitUpstreamHas(CHECKED);
        assertThat(daemon.out()).contains("Received SIGURG, running every check now.");
        assertThat(e2e.terminate()).isZero();
    }

    @Test
    void aReloadLeavesAnUnchangedServiceAloneUpstreamAndAppliesOnlyTheDifferenceAndABrokenFileChangesNothing() throws Exception {
        cabourotte.healthy("kept").healthy("removed").healthy("changed").healthy("added");
        Path config = e2e.configuration(e2e.service("kept", "kept", "500ms", KEPT)
                + e2e.service("removed", "removed", "500ms", REMOVED) + e2e.service("changed", "changed", "500ms", CHANGED_BEFORE));
        LauncherProcess daemon = e2e.start("run", "-c", config.toString());
        e2e.awaitUpstreamHas(KEPT, REMOVED, CHANGED_BEFORE);
        long keptSince = tableVersion(KEPT);

        Files.writeString(config, "[services.kept\nprefixes.frrouting = [\"" + KEPT + "\"]\n");
        LauncherProcess broken = e2e.command("reload");

        assertThat(broken.waitFor()).isEqualTo(65);
        assertThat(broken.err()).startsWith("anycastd: " + config + ":1:").contains("invalid TOML").doesNotContain("\tat ");
        assertThat(daemon.out()).contains("Reloading the configuration failed; still running the one read before.");
        assertThat(lab.upstream().routes()).contains(KEPT, REMOVED, CHANGED_BEFORE);

        Files.writeString(config, "# kept is as before; removed is gone; changed has another prefix; added is new\n"
                + e2e.service("kept", "kept", "500ms", KEPT) + e2e.service("changed", "changed", "500ms", CHANGED_AFTER)
                + e2e.service("added", "added", "500ms", ADDED));
        LauncherProcess reload = e2e.command("reload");

        assertThat(reload.waitFor()).as(reload.err()).isZero();
        assertThat(reload.out()).isEqualTo("Reloaded the configuration: added added; removed removed; changed changed;"
                + " unchanged kept.\n");
        e2e.awaitUpstreamHas(KEPT, CHANGED_AFTER, ADDED);
        e2e.awaitUpstreamLacks(REMOVED, CHANGED_BEFORE);
        assertThat(tableVersion(KEPT)).as("no UPDATE for the unchanged service: the upstream router's path is the same")
                .isEqualTo(keptSince);
        assertThat(daemon.out()).contains("Service \"added\" was added to the configuration; starting it.",
                "Service \"removed\" was removed from the configuration; withdrawing its prefixes.",
                "Service \"changed\" was changed in the configuration; replacing it.",
                "Withdrew " + REMOVED + " (frrouting): the configuration no longer names it.")
                .doesNotContain("Service \"kept\" was");

        Files.writeString(config, e2e.service("kept", "kept", "500ms", KEPT));
        e2e.signal("HUP");

        e2e.awaitUpstreamLacks(CHANGED_AFTER, ADDED);
        assertThat(daemon.out()).contains("Received SIGHUP, reloading the configuration.");
        assertThat(tableVersion(KEPT)).isEqualTo(keptSince);
        assertThat(e2e.terminate()).isZero();
        lab.upstream().awaitNoRoute(KEPT);
    }

    /** The upstream router's table version of {@code prefix}'s entry: unchanged while no UPDATE touched it. */
    private long tableVersion(IpPrefix prefix) {
        String route = lab.upstream().route(prefix);
        Matcher matcher = TABLE_VERSION.matcher(route.strip());
        assertThat(matcher.find()).as("a table version in %s", route).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
