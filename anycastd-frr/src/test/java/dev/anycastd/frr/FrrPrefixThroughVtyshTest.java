package dev.anycastd.frr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.RoutingException;
import dev.anycastd.testkit.frr.FrrLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FrrPrefix on real FRR through the vtysh program; and what only vtysh has (a program to find, a process to kill). */
class FrrPrefixThroughVtyshTest extends FrrPrefixTest {

    FrrPrefixThroughVtyshTest(FrrLab lab) {
        super(lab, LabTransport.VTYSH);
    }

    @Test
    void aBatchAnnouncesSeveralPrefixesInOneVtyshCallAndLooksTheAsNumberUpOnce() throws Exception {
        Path calls = directory.resolve("calls");
        Path counting = countingVtysh(calls);
        List<Prefix> prefixes = List.of(
                prefixOnLoopback("203.0.113.30", Map.of("vtysh", counting.toString())),
                prefixOnLoopback("203.0.113.31", Map.of("vtysh", counting.toString())),
                prefixOnLoopback("2001:db8::30", Map.of("vtysh", counting.toString())));
        BgpInstance batch = (BgpInstance) prefixes.get(0).batch();

        batch.announce(prefixes);
        lab.upstream().awaitRoutes(prefixes.stream().map(Prefix::prefix).toList());
        assertThat(Files.readAllLines(calls)).as("AS number lookup, then one configuration").hasSize(2);

        batch.announce(prefixes);
        assertThat(Files.readAllLines(calls)).as("the AS number is cached").hasSize(3);

        assertThat(batch.announced(prefixes)).containsExactlyInAnyOrderElementsOf(prefixes.stream().map(Prefix::prefix).toList());
        assertThat(Files.readAllLines(calls)).as("all states in one call, their validity in one more").hasSize(5);

        assertThat(batch.announced(prefixes)).hasSize(3);
        assertThat(Files.readAllLines(calls)).as("validity, once seen, is not read again: a reconcile reads the configuration only")
                .hasSize(6);

        batch.withdraw(prefixes);
        lab.upstream().awaitNoRoutes(prefixes.stream().map(Prefix::prefix).toList());
        assertThat(Files.readAllLines(calls)).as("withdrawing what is announced: one configuration, no read").hasSize(7);

        batch.announce(prefixes);
        lab.upstream().awaitRoutes(prefixes.stream().map(Prefix::prefix).toList());
        batch.announced(prefixes);
        assertThat(Files.readAllLines(calls)).as("after an announcement, validity is read once more").hasSize(10);
        batch.withdraw(prefixes);
    }

    @Test
    void verifyAsksFrrOncePerInstanceNotOncePerPrefix() throws Exception {
        Path calls = directory.resolve("calls");
        Path counting = countingVtysh(calls);
        List<Prefix> prefixes = List.of(prefix(Map.of("prefix", "203.0.113.76", "vtysh", counting.toString())),
                prefix(Map.of("prefix", "203.0.113.77", "vtysh", counting.toString())),
                prefix(Map.of("prefix", "2001:db8::76", "vtysh", counting.toString())));

        for (Prefix prefix : prefixes) {
            prefix.verify();
        }

        assertThat(Files.readAllLines(calls)).hasSize(1);
    }

    @Test
    void verifyReportsAMissingVtysh() {
        Path missing = directory.resolve("vtysh");
        Prefix prefix = prefix(Map.of("prefix", "203.0.113.72", "vtysh", missing.toString()));

        assertThatThrownBy(prefix::verify)
                .hasMessage("vtysh \"" + missing + "\" does not exist; install FRRouting "
                        + "(Debian: apt install frr) or set the option vtysh to where its vtysh is");
    }

    @Test
    void verifyReportsAVtyshThatIsNotExecutable() throws Exception {
        Path notExecutable = Files.writeString(directory.resolve("vtysh"), "#!/bin/sh\n");

        assertThatThrownBy(prefix(Map.of("prefix", "203.0.113.73", "vtysh", notExecutable.toString()))::verify)
                .hasMessageContaining("vtysh \"" + notExecutable + "\" is not an executable file");
    }

    @Test
    void verifyReportsAnFrrThatIsNotRunning() throws Exception {
        // The real vtysh, pointed at a directory where no daemon listens.
        Path nowhere = Files.createDirectory(directory.resolve("no-daemons"));
        Path vtysh = executable("vtysh-nowhere", "exec /usr/bin/vtysh --vty_socket " + nowhere + " \"$@\"");

        assertThatThrownBy(prefix(Map.of("prefix", "203.0.113.74", "vtysh", vtysh.toString()))::verify)
                .isInstanceOf(RoutingException.class)
                .hasMessageStartingWith("FRR is not reachable through vtysh")
                .hasMessageContaining("Exiting: failed to connect to any daemons.")
                .hasMessageContaining("start FRR with bgpd enabled");
    }

    @Test
    void aHangingVtyshIsKilledAtTheTimeoutAndReported() throws Exception {
        Path hanging = executable("vtysh-hanging", "exec sleep 60");
        Prefix prefix = prefix(Map.of("prefix", "203.0.113.75", "vtysh", hanging.toString(), "timeout", "300ms"));

        assertThatThrownBy(prefix::announce)
                .isInstanceOf(VtyshException.class)
                .hasMessageStartingWith("vtysh did not finish within PT0.3S and was killed");
    }

    @Test
    void frrSkipsEveryLineAfterTheFirstThatFailsInOneVtyshCall() {
        // The fact the batch is built around: "no network" for an unconfigured prefix aborts the rest.
        FrrLab.CommandResult result = lab.host().vtysh("configure terminal\nrouter bgp 65001\naddress-family ipv4 unicast\n"
                + "no network 203.0.113.13/32\nnetwork 203.0.113.14/32");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).contains(BgpInstance.NOT_CONFIGURED);
        assertThat(lab.host().runningConfig()).doesNotContain("network 203.0.113.14/32");
    }

    /** The lab's vtysh, counting its calls: one line in {@code calls} per vtysh process. */
    private Path countingVtysh(Path calls) throws IOException {
        return executable("vtysh-counting", "echo call >> " + calls, "exec " + lab.host().vtysh() + " \"$@\"");
    }
}
