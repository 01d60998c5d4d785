package dev.anycastd.frr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.prefix.IpPrefix;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The vtysh output parser, on output shaped as FRR 8.4 prints it (the FRR lab tests read the real thing). */
class FrrOutputTest {

    private static final String RUNNING_CONFIG = """
            Building configuration...

            Current configuration:
            !
            frr version 8.4.4
            frr defaults traditional
            !
            router bgp 65001
             bgp router-id 192.0.2.1
             neighbor 192.0.2.2 remote-as 65002
             !
             address-family ipv4 unicast
              network 203.0.113.53/32
              network 203.0.113.54/32 route-map ANYCAST
             exit-address-family
             !
             address-family ipv6 unicast
              network 2001:db8::53/128
             exit-address-family
            exit
            !
            router bgp 65001 vrf blue
             !
             address-family ipv4 unicast
              network 198.51.100.7/32
             exit-address-family
            exit
            !
            route-map ANYCAST permit 10
             set metric 500
            exit
            !
            route-map BLOCK deny 20
            exit
            !
            end
            """;

    @Test
    void readsEachNetworksRouteMapAndTheRouteMapsDefined() {
        FrrOutput.RunningConfig config = FrrOutput.runningConfig(RUNNING_CONFIG, null);

        assertThat(config.networks()).containsExactlyInAnyOrderEntriesOf(Map.of(
                IpPrefix.parse("203.0.113.53"), "", IpPrefix.parse("203.0.113.54"), "ANYCAST", IpPrefix.parse("2001:db8::53"), ""));
        assertThat(config.routeMaps()).containsExactlyInAnyOrder("ANYCAST", "BLOCK");
    }

    @Test
    void readsTheNetworksOfOneInstanceFromTheRunningConfiguration() {
        assertThat(FrrOutput.configuredNetworks(RUNNING_CONFIG, null)).containsExactlyInAnyOrder(
                IpPrefix.parse("203.0.113.53"), IpPrefix.parse("203.0.113.54"), IpPrefix.parse("2001:db8::53"));
        assertThat(FrrOutput.configuredNetworks(RUNNING_CONFIG, "blue")).containsExactly(IpPrefix.parse("198.51.100.7"));
        assertThat(FrrOutput.configuredNetworks(RUNNING_CONFIG, "red")).isEmpty();
    }

    @Test
    void readsTheLocalAsOrTheWarningOfAMissingInstance() throws Exception {
        assertThat(FrrOutput.instance(result("{\"vrfId\":0,\"vrfName\":\"default\",\"localAS\":65001}\n")))
                .isEqualTo(new FrrOutput.Instance.Present(65001));
        assertThat(FrrOutput.instance(result("{\"warning\":\"View/Vrf blue is unknown\"}\n")))
                .isEqualTo(new FrrOutput.Instance.Missing("View/Vrf blue is unknown"));
    }

    @Test
    void outputThatIsNotFrrsIsAnErrorCarryingIt() {
        assertThatThrownBy(() -> FrrOutput.instance(result("% Unknown command: show bgp detail json\n")))
                .isInstanceOf(VtyshException.class).hasMessageStartingWith("FRR's output is not the JSON expected");
        assertThatThrownBy(() -> FrrOutput.instance(result("{\"vrfName\":\"default\"}")))
                .isInstanceOf(VtyshException.class).hasMessageStartingWith("FRR did not report a local AS number");
        assertThatThrownBy(() -> FrrOutput.instance(result("")))
                .isInstanceOf(VtyshException.class).hasMessageStartingWith("FRR printed no JSON");
    }

    @Test
    void readsWhichPrefixesHaveALocalPathAndWhetherItIsValid() throws Exception {
        IpPrefix valid = IpPrefix.parse("203.0.113.53");
        IpPrefix invalid = IpPrefix.parse("203.0.113.54");
        IpPrefix learned = IpPrefix.parse("203.0.113.55");
        IpPrefix absent = IpPrefix.parse("203.0.113.56");
        String output = """
                {"prefix":"203.0.113.53/32","paths":[{"valid":true,"local":true}]}
                {"prefix":"203.0.113.54/32","paths":[{"valid":false,"local":true}]}
                {"prefix":"203.0.113.55/32","paths":[{"valid":true,"peer":{"peerId":"192.0.2.2"}}]}
                {}
                """;

        Map<IpPrefix, Boolean> paths = FrrOutput.localPaths(result(output), List.of(valid, invalid, learned, absent));

        assertThat(paths).containsOnly(Map.entry(valid, true), Map.entry(invalid, false));
    }

    @Test
    void aRouteAnswerPerPrefixIsRequired() {
        assertThatThrownBy(() -> FrrOutput.localPaths(result("{}\n"), List.of(IpPrefix.parse("203.0.113.53"), IpPrefix.parse("203.0.113.54"))))
                .isInstanceOf(VtyshException.class).hasMessageStartingWith("FRR printed 1 JSON documents for 2 prefixes");
        assertThatThrownBy(() -> FrrOutput.localPaths(result("{\"warning\":\"View/Vrf blue is unknown\"}"), List.of(IpPrefix.parse("203.0.113.53"))))
                .isInstanceOf(VtyshException.class).hasMessageStartingWith("FRR has no BGP instance: View/Vrf blue is unknown");
    }

    private static FrrTransport.Result result(String stdout) {
        return new FrrTransport.Result(List.of("show"), 0, stdout, "");
    }
}
