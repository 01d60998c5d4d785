package dev.anycastd.frr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.RoutingException;
import dev.anycastd.testkit.frr.FrrLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * FrrPrefix on real FRR through bgpd's vty socket; and what only the socket has: FRR's answers
 * read from the socket as vtysh reads them, a socket that cannot be connected to, and transport
 * auto falling back to vtysh.
 */
class FrrPrefixThroughVtySocketTest extends FrrPrefixTest {

    FrrPrefixThroughVtySocketTest(FrrLab lab) {
        super(lab, LabTransport.VTY_SOCKET);
    }

    @Test
    void bgpdStopsAtTheFirstRefusedLineOverTheSocketAsVtyshDoes() throws Exception {
        VtySocket socket = new VtySocket(lab.host().bgpdVtySocket(), Duration.ofSeconds(5));

        FrrTransport.Result result = socket.run(List.of("configure terminal\nrouter bgp " + FrrLab.HOST_ASN
                + "\naddress-family ipv4 unicast\nno network 203.0.113.13/32\nnetwork 203.0.113.14/32"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).contains(BgpInstance.NOT_CONFIGURED);
        assertThat(result.refusal()).hasValue("bgpd answered \"no network 203.0.113.13/32\" with vty status 13 (CMD_WARNING_CONFIG_FAILED)");
        assertThat(lab.host().runningConfig()).doesNotContain("network 203.0.113.14/32");
    }

    @Test
    void bgpdsOwnRunningConfigurationReadsAsVtyshsDoes() throws Exception {
        Prefix prefix = prefixOnLoopback("203.0.113.15", Map.of("route-map", "ANYCAST-SOCKET"));
        lab.host().vtysh("configure terminal\nroute-map ANYCAST-SOCKET permit 10").requireSuccess();
        prefix.announce();
        VtySocket socket = new VtySocket(lab.host().bgpdVtySocket(), Duration.ofSeconds(5));

        FrrOutput.RunningConfig throughSocket = FrrOutput.runningConfig(socket.run(List.of("show running-config bgpd")).stdout(), null);

        assertThat(throughSocket).isEqualTo(FrrOutput.runningConfig(lab.host().show("show running-config bgpd"), null));
        assertThat(throughSocket.networks()).containsEntry(prefix.prefix(), "ANYCAST-SOCKET");
        assertThat(throughSocket.routeMaps()).contains("ANYCAST-SOCKET");
        prefix.withdraw();
    }

    @Test
    void verifyReportsASocketThatCannotBeConnectedTo() {
        Path missing = directory.resolve("bgpd.vty");

        assertThatThrownBy(prefix(Map.of("prefix", "203.0.113.72", "vty-socket", missing.toString()))::verify)
                .isInstanceOf(RoutingException.class)
                .hasMessageStartingWith("bgpd's vty socket \"" + missing + "\" cannot be connected to (")
                .hasMessageContaining("run anycastd as root or as a member of group frrvty, or use transport = \"vtysh\"");
    }

    @Test
    void autoFallsBackToVtyshWhenTheSocketCannotBeConnectedTo() throws Exception {
        Prefix prefix = prefixOnLoopback("203.0.113.16", Map.of("transport", "auto", "vty-socket", directory.resolve("bgpd.vty").toString(),
                "vtysh", lab.host().vtysh().toString()));
        prefix.verify();

        prefix.announce();
        lab.upstream().awaitRoute(prefix.prefix());
        prefix.withdraw();
        lab.upstream().awaitNoRoute(prefix.prefix());
    }

    @Test
    void autoUsesTheSocketWhenItCanBeConnectedTo() throws Exception {
        // The vtysh given cannot run: only the socket can have done the work.
        Prefix prefix = prefixOnLoopback("203.0.113.17", Map.of("transport", "auto", "vtysh", directory.resolve("no-vtysh").toString()));
        prefix.verify();

        prefix.announce();
        lab.upstream().awaitRoute(prefix.prefix());
        prefix.withdraw();
        lab.upstream().awaitNoRoute(prefix.prefix());
    }
}
