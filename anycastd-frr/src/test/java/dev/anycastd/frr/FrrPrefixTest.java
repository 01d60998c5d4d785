package dev.anycastd.frr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.RoutingException;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.frr.FrrLab;
import dev.anycastd.testkit.frr.FrrLabExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * FrrPrefix against two real FRR routers: what anycastd configures on the host must reach, or
 * leave, the upstream router. Each test uses prefixes of its own, so they share one lab. Run
 * once for each transport ({@link FrrPrefixThroughVtyshTest}, {@link FrrPrefixThroughVtySocketTest}),
 * each with a lab of its own; what only one transport has is tested in its subclass.
 */
@ExtendWith(FrrLabExtension.class)
abstract class FrrPrefixTest {

    final FrrLab lab;
    final FrrPrefixProvider provider = new FrrPrefixProvider();
    private final LabTransport transport;

    @TempDir
    Path directory;

    FrrPrefixTest(FrrLab lab, LabTransport transport) {
        this.lab = lab;
        this.transport = transport;
    }

    @Test
    void upstreamLearnsAnAnnouncedIpv4PrefixAndLosesItWhenWithdrawn() throws Exception {
        Prefix prefix = prefixOnLoopback("203.0.113.10");

        prefix.announce();
        lab.upstream().awaitRoute(prefix.prefix());
        assertThat(prefix.isAnnounced()).isTrue();

        prefix.withdraw();
        lab.upstream().awaitNoRoute(prefix.prefix());
        assertThat(prefix.isAnnounced()).isFalse();
    }

    @Test
    void upstreamLearnsAnAnnouncedIpv6PrefixAndLosesItWhenWithdrawn() throws Exception {
        Prefix prefix = prefixOnLoopback("2001:db8::10");

        prefix.announce();
        lab.upstream().awaitRoute(prefix.prefix());
        assertThat(prefix.isAnnounced()).isTrue();

        prefix.withdraw();
        lab.upstream().awaitNoRoute(prefix.prefix());
        assertThat(prefix.isAnnounced()).isFalse();
    }

    @Test
    void announcingTwiceAndWithdrawingTwiceSucceedAndChangeNothingMore() throws Exception {
        Prefix prefix = prefixOnLoopback("203.0.113.11");

        prefix.announce();
        prefix.announce();
        lab.upstream().awaitRoute(prefix.prefix());
        assertThat(lab.host().runningConfig()).containsOnlyOnce("network 203.0.113.11/32");

        prefix.withdraw();
        prefix.withdraw();
        lab.upstream().awaitNoRoute(prefix.prefix());
        assertThat(lab.host().runningConfig()).doesNotContain("network 203.0.113.11/32");
    }

    @Test
    void withdrawingAPrefixFrrNeverHadSucceeds() throws Exception {
        Prefix prefix = prefix(Map.of("prefix", "203.0.113.12"));

        prefix.withdraw();

        assertThat(prefix.isAnnounced()).isFalse();
    }

    @Test
    void aBatchWithdrawalOfConfiguredAndUnconfiguredPrefixesWithdrawsEveryConfiguredOne() throws Exception {
        Prefix unconfiguredFirst = prefix(Map.of("prefix", "203.0.113.20"));
        Prefix configured = prefixOnLoopback("203.0.113.21");
        Prefix unconfiguredBetween = prefix(Map.of("prefix", "2001:db8::20"));
        Prefix configuredLast = prefixOnLoopback("2001:db8::21");
        BgpInstance batch = (BgpInstance) configured.batch();
        batch.announce(List.of(configured, configuredLast));
        lab.upstream().awaitRoute(configured.prefix(), configuredLast.prefix());

        batch.withdraw(List.of(unconfiguredFirst, configured, unconfiguredBetween, configuredLast));

        lab.upstream().awaitNoRoute(configured.prefix(), configuredLast.prefix());
        assertThat(batch.announced(List.of(unconfiguredFirst, configured, unconfiguredBetween, configuredLast))).isEmpty();
    }

    @Test
    void aWithdrawalRightAfterAnAnnouncementIsNotMissed() throws Exception {
        Prefix prefix = prefixOnLoopback("203.0.113.40");

        // No wait in between: FRR's BGP table lags its configuration, so a withdrawal that read
        // the table could find nothing to withdraw and leave the network configured.
        for (int flap = 0; flap < 5; flap++) {
            prefix.announce();
            prefix.withdraw();
            assertThat(prefix.isAnnounced()).isFalse();
        }
        prefix.announce();
        assertThat(prefix.isAnnounced()).isTrue();
        prefix.withdraw();
        lab.upstream().awaitNoRoute(prefix.prefix());
        assertThat(lab.host().runningConfig()).doesNotContain("network 203.0.113.40/32");
    }

    @Test
    void vrfPrefixesLandInTheRouterBgpOfTheirVrf() throws Exception {
        lab.host().vtysh("configure terminal\nrouter bgp 65001 vrf blue").requireSuccess();
        Prefix prefix = prefix(Map.of("prefix", "198.51.100.0/24", "vrf", "blue"));
        prefix.verify();

        prefix.announce();

        // This kernel has no VRF devices, so the VRF's BGP stays down: the configuration is what can be checked.
        assertThat(lab.host().runningConfig()).contains("router bgp 65001 vrf blue\n !\n address-family ipv4 unicast\n  network 198.51.100.0/24\n");
        assertThat(prefix.isAnnounced()).isTrue();
        assertThat(lab.upstream().routes()).doesNotContain(prefix.prefix());

        prefix.withdraw();
        assertThat(lab.host().runningConfig()).doesNotContain("network 198.51.100.0/24");
        assertThat(prefix.isAnnounced()).isFalse();
    }

    @Test
    void anInjectionAttemptIsRejectedAndLeavesFrrsConfigurationUnchanged() {
        String before = lab.host().runningConfig();

        for (Map<String, String> hostile : List.of(
                Map.of("prefix", "203.0.113.40", "vrf", "blue\nno router bgp 65001"),
                Map.of("prefix", "203.0.113.40", "route-map", "RM\nno router bgp 65001"),
                Map.of("prefix", "203.0.113.40\nno router bgp 65001"))) {
            Map<String, String> options = new HashMap<>(hostile);
            options.putAll(transport.options(lab.host()));
            assertThatThrownBy(() -> provider.create(Options.of("services.test.prefixes.frrouting[0]", options)).announce())
                    .isInstanceOf(ConfigurationException.class);
        }

        assertThat(lab.host().runningConfig()).isEqualTo(before);
    }

    @Test
    void aRouteMapOnTheNetworkLineSetsTheCommunityAndMedTheUpstreamSees() throws Exception {
        lab.host().vtysh("configure terminal\nroute-map ANYCAST-DNS permit 10\nset community 65001:53\nset metric 53").requireSuccess();
        Prefix prefix = prefixOnLoopback("203.0.113.50", Map.of("route-map", "ANYCAST-DNS"));

        prefix.announce();

        lab.upstream().awaitRoute(prefix.prefix());
        assertThat(lab.host().runningConfig()).contains("network 203.0.113.50/32 route-map ANYCAST-DNS");
        assertThat(lab.upstream().route(prefix.prefix())).contains("\"string\":\"65001:53\"").contains("\"metric\":53");
        prefix.withdraw();
        lab.upstream().awaitNoRoute(prefix.prefix());
    }

    @Test
    void aConfiguredPrefixFrrWillNotAdvertiseIsReportedOnceWithTheReasonAndTheFix() throws Exception {
        // No address on lo: FRR's import check finds no route, so the path is not valid.
        Prefix prefix = prefix(Map.of("prefix", "203.0.113.60"));
        ListAppender<ILoggingEvent> warnings = capture(FrrPrefix.class);
        try {
            prefix.announce();

            assertThat(prefix.isAnnounced()).isTrue();
            assertThat(((BgpInstance) prefix.batch()).announced(List.of(prefix))).containsExactly(prefix.prefix());
            assertThat(warnings.list).filteredOn(event -> event.getLevel() == Level.WARN).singleElement()
                    .satisfies(event -> assertThat(event.getFormattedMessage())
                            .contains("203.0.113.60/32 (frrouting)", "not valid", "ip address add 203.0.113.60/32 dev lo",
                                    "no bgp network import-check"));

            lab.host().addLoopbackAddresses(List.of(prefix.prefix()));
            lab.upstream().awaitRoute(prefix.prefix());
            assertThat(prefix.isAnnounced()).isTrue();
            assertThat(warnings.list).filteredOn(event -> event.getLevel() == Level.INFO).singleElement()
                    .satisfies(event -> assertThat(event.getFormattedMessage()).contains("valid again"));
        } finally {
            release(FrrPrefix.class, warnings);
            prefix.withdraw();
        }
    }

    @Test
    void verifyPassesWhenFrrCarriesTheVrf() throws Exception {
        prefix(Map.of("prefix", "203.0.113.70")).verify();
    }

    @Test
    void verifyNamesTheMissingRouterBgpOfAnUnknownVrf() {
        Prefix prefix = prefix(Map.of("prefix", "203.0.113.71", "vrf", "nope"));

        assertThatThrownBy(prefix::verify)
                .isInstanceOf(RoutingException.class)
                .hasMessage("there is no \"router bgp\" in FRR's VRF \"nope\"; "
                        + "configure \"router bgp <your AS> vrf nope\" in FRR, or correct the option vrf (FRR says: View/Vrf is unknown)");
    }

    Prefix prefixOnLoopback(String prefix) {
        return prefixOnLoopback(prefix, Map.of());
    }

    Prefix prefixOnLoopback(String prefix, Map<String, String> options) {
        Map<String, String> all = new HashMap<>(options);
        all.put("prefix", prefix);
        lab.host().addLoopbackAddresses(List.of(IpPrefix.parse(prefix)));
        return prefix(all);
    }

    /** A prefix with {@code options}, reaching the host router through this class's transport unless they say otherwise. */
    Prefix prefix(Map<String, String> options) {
        Map<String, String> all = new HashMap<>(transport.options(lab.host()));
        all.putAll(options);
        try {
            return provider.create(Options.of("services.test.prefixes.frrouting[0]", all));
        } catch (ConfigurationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    Path executable(String name, String... lines) throws IOException {
        Path script = directory.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static ListAppender<ILoggingEvent> capture(Class<?> type) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(type)).addAppender(appender);
        return appender;
    }

    private static void release(Class<?> type, ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(type)).detachAppender(appender);
    }
}
