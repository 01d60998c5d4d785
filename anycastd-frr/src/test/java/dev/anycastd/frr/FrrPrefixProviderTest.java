package dev.anycastd.frr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.PrefixProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class FrrPrefixProviderTest {

    private static final String PATH = "services.dns.prefixes.frrouting[0]";
    private final FrrPrefixProvider provider = new FrrPrefixProvider();

    @Test
    void isFoundByServiceLoaderUnderTypeFrroutingWithPrefixAsTheOnlyRequiredOption() {
        PrefixProvider found = ServiceLoader.load(PrefixProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(candidate -> candidate.type().equals("frrouting"))
                .findFirst().orElseThrow();

        assertThat(found).isInstanceOf(FrrPrefixProvider.class);
        assertThat(found.requiredOptions()).containsExactly("prefix");
    }

    @Test
    void defaultsToTheDefaultVrfThroughBgpdsSocketElseUsrBinVtysh() throws Exception {
        Prefix prefix = create(Map.of("prefix", "203.0.113.53"));

        assertThat(prefix.prefix()).hasToString("203.0.113.53/32");
        assertThat(prefix.describe()).isEqualTo("203.0.113.53/32 (frrouting)");
        BgpInstance bgp = (BgpInstance) prefix.batch();
        assertThat(bgp.transport()).isEqualTo(new VtySocketOrVtysh(
                new VtySocket(Path.of("/var/run/frr/bgpd.vty"), FrrPrefixProvider.DEFAULT_TIMEOUT),
                new Vtysh(FrrPrefixProvider.DEFAULT_VTYSH, FrrPrefixProvider.DEFAULT_TIMEOUT)));
        assertThat(bgp.vrf()).isEmpty();
    }

    @Test
    void transportVtyIsTheSocketAlone() throws Exception {
        BgpInstance bgp = (BgpInstance) create(Map.of("prefix", "203.0.113.53", "transport", "vty", "vty-socket", "/run/frr/bgpd.vty",
                "timeout", "2s")).batch();

        assertThat(bgp.transport()).isEqualTo(new VtySocket(Path.of("/run/frr/bgpd.vty"), Duration.ofSeconds(2)));
    }

    @Test
    void transportVtyshIsTheProgramAlone() throws Exception {
        BgpInstance bgp = (BgpInstance) create(Map.of("prefix", "203.0.113.53", "transport", "vtysh")).batch();

        assertThat(bgp.transport()).isEqualTo(new Vtysh(FrrPrefixProvider.DEFAULT_VTYSH, FrrPrefixProvider.DEFAULT_TIMEOUT));
    }

    @Test
    void autoWithAVtyshOfItsOwnAndNoSocketUsesThatVtysh() throws Exception {
        // Such a vtysh may point at another FRR than the one whose socket is at the default place.
        BgpInstance bgp = (BgpInstance) create(Map.of("prefix", "203.0.113.53", "vtysh", "/opt/frr/bin/vtysh")).batch();

        assertThat(bgp.transport()).isEqualTo(new Vtysh(Path.of("/opt/frr/bin/vtysh"), FrrPrefixProvider.DEFAULT_TIMEOUT));
    }

    @Test
    void autoWithBothPathsTriesTheSocketFirst() throws Exception {
        BgpInstance bgp = (BgpInstance) create(Map.of("prefix", "203.0.113.53", "vtysh", "/opt/frr/bin/vtysh",
                "vty-socket", "/opt/frr/run/bgpd.vty", "transport", "auto")).batch();

        assertThat(bgp.transport()).isEqualTo(new VtySocketOrVtysh(
                new VtySocket(Path.of("/opt/frr/run/bgpd.vty"), FrrPrefixProvider.DEFAULT_TIMEOUT),
                new Vtysh(Path.of("/opt/frr/bin/vtysh"), FrrPrefixProvider.DEFAULT_TIMEOUT)));
    }

    @Test
    void rejectsAnUnknownTransportNamingTheKnownOnes() {
        assertThatThrownBy(() -> create(Map.of("prefix", "203.0.113.53", "transport", "ssh")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(PATH + ".transport: \"ssh\" is not a transport; use \"vty\" (bgpd's vty socket), \"vtysh\""
                        + " (the vtysh program) or \"auto\" (the socket when it can be connected to, else vtysh)");
    }

    @Test
    void rejectsARelativeVtySocketPath() {
        assertThatThrownBy(() -> create(Map.of("prefix", "203.0.113.53", "vty-socket", "bgpd.vty")))
                .hasMessageContaining(PATH + ".vty-socket: \"bgpd.vty\" is not an absolute path; give the full path,"
                        + " e.g. /var/run/frr/bgpd.vty");
    }

    @Test
    void prefixesOfOneVrfThroughDifferentTransportsDoNotShareABatch() throws Exception {
        Prefix socket = create(Map.of("prefix", "203.0.113.53", "transport", "vty"));
        Prefix vtysh = create(Map.of("prefix", "203.0.113.54", "transport", "vtysh"));
        Prefix auto = create(Map.of("prefix", "203.0.113.55"));

        assertThat(socket.batch()).isNotEqualTo(vtysh.batch()).isNotEqualTo(auto.batch());
        assertThat(vtysh.batch()).isNotEqualTo(auto.batch());
    }

    @Test
    void describesVrfAndRouteMap() throws Exception {
        Prefix prefix = create(Map.of("prefix", "2001:db8::53", "vrf", "blue-1", "route-map", "ANYCAST.v6"));

        assertThat(prefix.describe()).isEqualTo("2001:db8::53/128 (frrouting, vrf blue-1, route-map ANYCAST.v6)");
        assertThat(((FrrPrefix) prefix).networkLine()).isEqualTo("network 2001:db8::53/128 route-map ANYCAST.v6");
    }

    @Test
    void acceptsAnIntegerVrfAsTheOriginalDid() throws Exception {
        assertThat(create(Map.of("prefix", "203.0.113.123", "vrf", 123L)).batch())
                .isEqualTo(create(Map.of("prefix", "203.0.113.124", "vrf", "123")).batch());
    }

    @Test
    void treatsVrfNamedDefaultAsTheDefaultVrf() throws Exception {
        assertThat(create(Map.of("prefix", "203.0.113.53", "vrf", "default")).batch())
                .isEqualTo(create(Map.of("prefix", "203.0.113.54")).batch());
    }

    @Test
    void prefixesOfOneVtyshAndVrfShareOneBatchAndOthersDoNot() throws Exception {
        Prefix first = create(Map.of("prefix", "203.0.113.53", "vrf", "blue"));
        Prefix second = create(Map.of("prefix", "2001:db8::53", "vrf", "blue"));
        Prefix otherVrf = create(Map.of("prefix", "203.0.113.53", "vrf", "red"));
        Prefix otherVtysh = create(Map.of("prefix", "203.0.113.53", "vrf", "blue", "vtysh", "/opt/frr/bin/vtysh"));
        Prefix otherProvider = new FrrPrefixProvider().create(Options.of(PATH, Map.of("prefix", "203.0.113.1", "vrf", "blue")));

        assertThat(first.batch()).isSameAs(second.batch()).isEqualTo(otherProvider.batch());
        assertThat(first.batch()).isNotEqualTo(otherVrf.batch()).isNotEqualTo(otherVtysh.batch());
    }

    @Test
    void rejectsAVrfNameThatWouldAddACommand() {
        assertThatThrownBy(() -> create(Map.of("prefix", "203.0.113.53", "vrf", "blue\nrouter bgp 65099")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(PATH + ".vrf: \"blue\\nrouter bgp 65099\" is not a VRF name; use letters, digits, '-', '_', '.'");
    }

    @Test
    void rejectsAVrfNameWithASpace() {
        assertThatThrownBy(() -> create(Map.of("prefix", "203.0.113.53", "vrf", "a b")))
                .hasMessageContaining(PATH + ".vrf: \"a b\" is not a VRF name; use letters, digits, '-', '_', '.'");
    }

    @Test
    void rejectsAVrfNameLongerThanFrrAllows() {
        assertThatThrownBy(() -> create(Map.of("prefix", "203.0.113.53", "vrf", "v".repeat(36))))
                .hasMessageContaining(PATH + ".vrf: \"" + "v".repeat(36) + "\" is longer than FRR allows (35 characters)");
    }

    @Test
    void rejectsARouteMapNameThatWouldAddACommand() {
        assertThatThrownBy(() -> create(Map.of("prefix", "203.0.113.53", "route-map", "RM\nno router bgp")))
                .hasMessageContaining(PATH + ".route-map: \"RM\\nno router bgp\" is not a route-map name; use letters, digits, '-', '_', '.'");
    }

    @Test
    void rejectsARelativeVtyshPath() {
        assertThatThrownBy(() -> create(Map.of("prefix", "203.0.113.53", "vtysh", "vtysh")))
                .hasMessageContaining(PATH + ".vtysh: \"vtysh\" is not an absolute path; give the full path, e.g. /usr/bin/vtysh");
    }

    @Test
    void rejectsANonPositiveTimeout() {
        assertThatThrownBy(() -> create(Map.of("prefix", "203.0.113.53", "timeout", "0s")))
                .hasMessageContaining(PATH + ".timeout: \"0s\" is not a positive duration");
    }

    @Test
    void rejectsAPrefixWithHostBitsSet() {
        assertThatThrownBy(() -> create(Map.of("prefix", "192.0.2.1/24")))
                .hasMessageContaining(PATH + ".prefix: \"192.0.2.1/24\" has host bits set; did you mean 192.0.2.0/24?");
    }

    @Test
    void rejectsAnUnknownOptionSuggestingTheKnownOne() {
        assertThatThrownBy(() -> create(Map.of("prefix", "203.0.113.53", "vfr", "blue")))
                .hasMessageContaining(PATH + ".vfr: unknown option \"vfr\" (did you mean \"vrf\"?); known: prefix, route-map, timeout, transport, vrf, vty-socket, vtysh");
    }

    @Test
    void requiresAPrefix() {
        assertThatThrownBy(() -> create(Map.of("vrf", "blue")))
                .hasMessageContaining(PATH + ".prefix: required option \"prefix\" is missing");
    }

    @Test
    void reportsEveryWrongOptionAtOnce() {
        assertThatThrownBy(() -> create(Map.of("prefix", "203.0.113.1/24", "vrf", "a b", "vtysh", "vtysh", "vty-socket", "x",
                "transport", "tcp", "timeout", "soon")))
                .isInstanceOfSatisfying(ConfigurationException.class, error -> assertThat(error.problems())
                        .extracting(ConfigurationException.Problem::keyPath)
                        .containsExactly(PATH + ".prefix", PATH + ".vrf", PATH + ".vtysh", PATH + ".vty-socket", PATH + ".transport",
                                PATH + ".timeout"));
    }

    private Prefix create(Map<String, ?> options) throws ConfigurationException {
        return provider.create(Options.of(PATH, options));
    }
}
