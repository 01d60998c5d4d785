package dev.anycastd.testkit.frr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.prefix.IpPrefix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class FrrLabTest {

    private static final IpPrefix SERVICE = IpPrefix.parse("203.0.113.53");

    @Test
    void upstreamLearnsWhatTheHostAnnouncesAndEverythingIsGoneAfterClose() throws Exception {
        FrrLabExtension.assumeAvailable();
        FrrLab lab;
        Path vtysh;
        try (FrrLab started = FrrLab.start()) {
            lab = started;
            vtysh = lab.host().vtysh();
            lab.host().addLoopbackAddresses(List.of(SERVICE));

            lab.host().vtysh("configure terminal\nrouter bgp 65001\naddress-family ipv4 unicast\nnetwork " + SERVICE).requireSuccess();

            lab.upstream().awaitRoute(SERVICE);
            assertThat(lab.upstream().route(SERVICE)).contains("\"string\":\"65001\"").doesNotContain("\"warning\"");
            assertThat(lab.host().runningConfig()).contains("network " + SERVICE);
        }

        assertThat(vtysh).doesNotExist();
        assertThat(namespaces()).noneMatch(name -> name.contains(lab.id()));
    }

    @Test
    void twoLabsRunSideBySideWithoutSeeingEachOther() throws Exception {
        FrrLabExtension.assumeAvailable();
        try (FrrLab first = FrrLab.start(); FrrLab second = FrrLab.start()) {
            first.host().vtysh("configure terminal\nrouter bgp 65001\nno bgp network import-check\naddress-family ipv4 unicast\nnetwork 198.51.100.0/24")
                    .requireSuccess();

            first.upstream().awaitRoute(IpPrefix.parse("198.51.100.0/24"));
            assertThat(second.upstream().routes()).isEmpty();
        }
    }

    @Test
    void hostLosesItsConfigurationWhenBgpdRestarts() throws Exception {
        FrrLabExtension.assumeAvailable();
        try (FrrLab lab = FrrLab.start()) {
            lab.host().addLoopbackAddresses(List.of(SERVICE));
            lab.host().vtysh("configure terminal\nrouter bgp 65001\naddress-family ipv4 unicast\nnetwork " + SERVICE).requireSuccess();
            lab.upstream().awaitRoute(SERVICE);

            lab.host().restartBgpd();

            assertThat(lab.host().runningConfig()).doesNotContain("network " + SERVICE);
            lab.upstream().awaitNoRoute(SERVICE);
        }
    }

    @Test
    void aSecondSpeakerOnTheHostSidePeersWithUpstreamBesideTheHostRouter() throws Exception {
        FrrLabExtension.assumeAvailable();
        try (FrrLab lab = FrrLab.start()) {
            FrrLab.SpeakerPeering speaker = lab.addSpeaker(65003);
            lab.host().addLoopbackAddresses(List.of(SERVICE));
            lab.host().vtysh("configure terminal\nrouter bgp 65001\naddress-family ipv4 unicast\nnetwork " + SERVICE).requireSuccess();

            // A stand-in for ExaBGP (not needed to run the tests): the host's bgpd opens a second session from the
            // speaker's address with the speaker's AS, which proves the addresses and the upstream's new neighbor.
            lab.host().vtysh("configure terminal\nrouter bgp 65001\nneighbor " + speaker.peerAddress() + " remote-as "
                    + speaker.peerAsn() + "\nneighbor " + speaker.peerAddress() + " local-as 65003 no-prepend replace-as\n"
                    + "neighbor " + speaker.peerAddress() + " update-source " + speaker.localAddress()).requireSuccess();

            Awaitility.await("upstream router's session with " + speaker.localAddress()).atMost(Duration.ofSeconds(30))
                    .until(() -> lab.upstream().show("show bgp neighbors " + speaker.localAddress() + " json")
                            .contains("\"bgpState\":\"Established\""));
            assertThat(speaker.namespace()).isEqualTo(lab.host().namespace());
            assertThat(lab.upstream().show("show bgp neighbors " + lab.upstream().interfaceName() + " json"))
                    .contains("\"bgpState\":\"Established\"");
            lab.upstream().awaitRoute(SERVICE);
            assertThatThrownBy(() -> lab.addSpeaker(65004)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has a speaker peering already");
        }
    }

    private static List<String> namespaces() throws IOException {
        if (!Files.isDirectory(Path.of("/run/netns"))) {
            return List.of();
        }
        try (Stream<Path> names = Files.list(Path.of("/run/netns"))) {
            return names.map(path -> path.getFileName().toString()).toList();
        }
    }
}
