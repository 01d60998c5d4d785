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
import java.util.Arrays;
import java.util.List;
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
    private static final String HANG_KILLED = "The hook of service \"hanging\" did not finish";

    @TempDir
    static Path installation;

    static Path home;

    @TempDir
    Path work;

    private final FrrLab lab;
    private EndToEndLab e2e;
    private FakeCabourotte cabourotte;

    PolicyEndToEndIT(FrrLab lab) {
        this.lab = lab;
    }

    @BeforeAll
    static void unpackTheTarballAndPutTheServiceAddressesOnTheHost(FrrLab lab) throws Exception {
        home = EndToEndLab.unpack(installation, lab, List.of(ANY, HOOKED, HANGING, OTHER, GUARDED, UNGUARDED));
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
    void requireAnyAnnouncesWithOneOfTwoChecksPassingAndWithdrawsWhenBothFail() throws Exception {
        cabourotte.failing("any_a", "connection refused").healthy("any_b");
        LauncherProcess daemon = e2e.run(service("any", List.of("any_a", "any_b"), "require = \"any\"", ANY));

        e2e.awaitUpstreamHas(ANY);
        assertThat(daemon.out()).contains("Service \"any\" is now considered healthy, announcing related prefixes.")
                .contains("1 of 2 checks pass, 1 required; failing: any_a (");
        LauncherProcess status = e2e.command("status", "any");
        assertThat(status.waitFor()).as(status.err()).isZero();
        assertThat(status.out()).contains("1 of 2 checks pass, 1 required; failing: any_a (");

        cabourotte.failing("any_b", "SERVFAIL");
        e2e.awaitUpstreamLacks(ANY);
        assertThat(daemon.out()).contains("Service \"any\" is now considered unhealthy, denouncing related prefixes:"
                + " 0 of 2 checks pass, 1 required; failing: any_a (");

        cabourotte.healthy("any_a");
        e2e.awaitUpstreamHas(ANY);
        assertThat(e2e.terminate()).isZero();
        lab.upstream().awaitNoRoute(ANY);
    }

    @Test
    void aHooksOutputIsLoggedWithTheServiceNameAndAHangingHookIsKilledAtItsTimeoutWhileRoutingGoesOn() throws Exception {
        Path sleepPid = work.resolve("sleep.pid");
        Path talker = script("talker", "echo \"$ANYCASTD_SERVICE went from $ANYCASTD_OLD_STATE to $ANYCASTD_NEW_STATE:"
                + " $ANYCASTD_PREFIXES ($ANYCASTD_REASON)\"");
        Path hanger = script("hanger", "[ -e " + sleepPid + " ] || { sleep 600 & echo $! > " + sleepPid + "; wait; }");
        cabourotte.healthy("hooked").healthy("hanging").healthy("other");
        LauncherProcess daemon = e2e.run(service("hooked", List.of("hooked"), "on-change = [\"" + talker + "\"]", HOOKED)
                + service("hanging", List.of("hanging"), "on-change = [\"" + hanger + "\"]\non-change-timeout = \"10s\"", HANGING)
                + service("other", List.of("other"), "", OTHER));

        e2e.awaitUpstreamHas(HOOKED, HANGING, OTHER);
        e2e.awaitLog("Hook of service \"hooked\" (stdout): hooked went from withdrawn to announced: " + HOOKED
                + " (all checks healthy)");
        assertThat(daemon.out()).contains("stream=stdout");
        await().atMost(EndToEndLab.PATIENCE).until(() -> Files.exists(sleepPid) && !Files.readString(sleepPid).isBlank());
        long sleep = Long.parseLong(Files.readString(sleepPid).strip());
        assertThat(ProcessHandle.of(sleep)).as("the hanging hook's sleep runs").hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        // While the hook hangs, the same service and another one change, and the upstream router sees both.
        cabourotte.failing("hanging", "down").failing("other", "down");
        e2e.awaitUpstreamLacks(HANGING, OTHER);
        assertThat(daemon.out()).as("routing went on while the hook hung").doesNotContain(HANG_KILLED);
        cabourotte.healthy("other");
        e2e.awaitUpstreamHas(OTHER);
        assertThat(daemon.out()).doesNotContain(HANG_KILLED);

        e2e.awaitLog(HANG_KILLED + " within 10000 ms; killed it and the 1 processes it started.");
        await("the hook's sleep is killed").atMost(EndToEndLab.PATIENCE)
                .until(() -> ProcessHandle.of(sleep).map(process -> !process.isAlive()).orElse(true));
        // The change that came during the hang ran after it, coalesced, and finished (the marker file is there now).
        e2e.awaitLog("The hook of service \"hanging\" finished.");
        assertThat(e2e.terminate()).isZero();
        // At exit (or earlier, if a check of this loaded machine timed out) the withdrawal ran the hook too.
        assertThat(daemon.out()).contains("Hook of service \"hooked\" (stdout): hooked went from announced to withdrawn: " + HOOKED);
    }

    @Test
    void removingTheAddressFromLoWithdrawsItsPrefixUpstreamAndPuttingItBackAnnouncesItAgain() throws Exception {
        // The address is on the veth too, so FRR's own import check keeps the network valid: only the guard withdraws it.
        EndToEndLab.ip("-n", lab.host().namespace(), "address", "replace", GUARDED.toString(), "dev", lab.host().interfaceName());
        Path config = e2e.configuration("""
                [services.guarded]
                prefixes.frrouting = [{ prefix = "%1$s", vtysh = "%3$s", require-local = true, interface = "lo" },
                                      { prefix = "%2$s", vtysh = "%3$s" }]
                checks.address = [{ address = "127.0.0.1", name = "loopback", interval = "200ms" }]
                """.formatted(GUARDED, UNGUARDED, lab.host().vtysh()));
        LauncherProcess check = e2e.command("check-config", "-c", config.toString());
        assertThat(check.waitFor()).as(check.err()).isZero();
        assertThat(check.out()).contains("guards:   " + GUARDED.address().getHostAddress() + " on interface lo");
        // In the host router's namespace, where lo carries the service addresses.
        e2e.startInHostNamespace("run", "-c", config.toString());
        e2e.awaitUpstreamHas(GUARDED, UNGUARDED);

        EndToEndLab.ip("-n", lab.host().namespace(), "address", "del", GUARDED + "", "dev", "lo");

        e2e.awaitUpstreamLacks(GUARDED, UNGUARDED);
        assertThat(lab.host().runningConfig()).as("anycastd withdrew it, not FRR's import check").doesNotContain("network " + GUARDED);
        e2e.awaitLog("203.0.113.185 is not on interface lo");

        lab.host().addLoopbackAddresses(List.of(GUARDED));
        e2e.awaitUpstreamHas(GUARDED, UNGUARDED);
        assertThat(e2e.terminate()).isZero();
        lab.upstream().awaitNoRoute(GUARDED, UNGUARDED);
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
}
