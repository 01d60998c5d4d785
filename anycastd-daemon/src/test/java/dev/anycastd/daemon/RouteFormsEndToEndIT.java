package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.testkit.cabourotte.FakeCabourotte;
import dev.anycastd.testkit.frr.FrrLab;
import dev.anycastd.testkit.frr.FrrLabExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Route forms as the packaged daemon runs them in the FRR lab, read at the upstream router:
 * {@code when-down = { route-map = ... }} keeps a failing service's route with the last-resort
 * attributes and never lets it go missing; {@code drain-hold} with {@code drain-route-map} shows
 * the GRACEFUL_SHUTDOWN community upstream before the route goes, on {@code anycastd drain} and on
 * SIGTERM; a route-map FRR lacks stops the daemon at start-up verification, saying which.
 */
@ExtendWith(FrrLabExtension.class)
class RouteFormsEndToEndIT {

    private static final IpPrefix DEGRADING = IpPrefix.parse("203.0.113.181");
    private static final IpPrefix DRAINING = IpPrefix.parse("203.0.113.182");
    private static final IpPrefix MISSING_MAP = IpPrefix.parse("203.0.113.183");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough for a status command (a JVM start) to see the hold under way. */
    private static final Duration HOLD = Duration.ofSeconds(8);

    @TempDir
    static Path installation;

    static Path home;

    @TempDir
    Path work;

    private final FrrLab lab;
    private EndToEndLab e2e;
    private FakeCabourotte cabourotte;

    RouteFormsEndToEndIT(FrrLab lab) {
        this.lab = lab;
    }

    @BeforeAll
    static void unpackTheTarballAndPrepareTheHostRouter(FrrLab lab) throws Exception {
        home = EndToEndLab.unpack(installation, lab, List.of(DEGRADING, DRAINING, MISSING_MAP));
        // LAST-RESORT: a longer AS path and a higher MED; GSHUT: RFC 8326 GRACEFUL_SHUTDOWN.
        lab.host().vtysh("configure terminal",
                "route-map LAST-RESORT permit 10", "set as-path prepend 65001 65001", "set metric 500", "exit",
                "route-map GSHUT permit 10", "set community 65535:0", "exit").requireSuccess();
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
    void aFailingServiceWithAWhenDownRouteMapKeepsItsRouteUpstreamWithTheLastResortAttributes() throws Exception {
        cabourotte.healthy("dns");
        LauncherProcess daemon = runWhenDown("dns", DEGRADING, "LAST-RESORT");
        awaitUpstream(DEGRADING, "65001", 0, false);

        AtomicBoolean polling = new AtomicBoolean(true);
        AtomicInteger polls = new AtomicInteger();
        AtomicInteger missing = new AtomicInteger();
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                try {
                    boolean lacking = paths(DEGRADING).isEmpty();
                    polls.incrementAndGet();
                    if (lacking) {
                        missing.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    // A failed read of the upstream says nothing of the route: not a poll.
                }
            }
        }, "upstream-poller");
        poller.start();
        try {
            cabourotte.failing("dns", "connection refused");
            awaitUpstream(DEGRADING, "65001 65001 65001", 500, false);
            LauncherProcess status = e2e.command("status", "--json");
            assertThat(status.waitFor()).as("a degraded service is not as wanted").isEqualTo(1);
            assertThat(status.out()).contains("\"state\":\"degraded\"").contains("route-map LAST-RESORT");
            assertThat(daemon.out()).contains("keeping related prefixes announced through their when-down route policies ("
                    + DEGRADING + " through LAST-RESORT) as a last resort");

            cabourotte.healthy("dns");
            awaitUpstream(DEGRADING, "65001", 0, false);
            int seen = polls.get();
            await().atMost(EndToEndLab.PATIENCE).until(() -> polls.get() >= seen + 3);
        } finally {
            polling.set(false);
            poller.join(10_000);
        }
        assertThat(missing.get()).as("polls of %d in which the upstream lacked the route", polls.get()).isZero();
        assertThat(e2e.terminate()).isZero();
        lab.upstream().awaitNoRoute(DEGRADING);
    }

    @Test
    void aGracefulDrainAndSigtermShowTheGracefulShutdownCommunityUpstreamBeforeTheRouteGoes() throws Exception {
        cabourotte.healthy("web");
        LauncherProcess daemon = e2e.run("""
                drain-hold = "8s"
                drain-route-map = "GSHUT"

                [services.web]
                prefixes.frrouting = [{ prefix = "%s", vtysh = "%s" }]
                checks.cabourotte = [{ name = "web", url = "%s", interval = "200ms" }]
                """.formatted(DRAINING, lab.host().vtysh(), cabourotte.url()));
        awaitUpstream(DRAINING, "65001", 0, false);

        long drained = System.nanoTime();
        LauncherProcess drain = e2e.command("drain", "web", "--reason", "maintenance");
        assertThat(drain.waitFor()).as(drain.err()).isZero();
        awaitUpstream(DRAINING, "65001", 0, true);
        LauncherProcess status = e2e.command("status", "web");
        assertThat(status.waitFor()).isZero();
        assertThat(status.out()).containsPattern("(?m)^web +draining\\*? ");
        lab.upstream().awaitNoRoute(DRAINING);
        assertThat(Duration.ofNanos(System.nanoTime() - drained)).isGreaterThanOrEqualTo(HOLD);
        await().atMost(EndToEndLab.PATIENCE).until(() -> {
            LauncherProcess drainedStatus = e2e.command("status", "web");
            drainedStatus.waitFor();
            return drainedStatus.out().contains("drained by the operator");
        });

        LauncherProcess resume = e2e.command("resume", "web");
        assertThat(resume.waitFor()).as(resume.err()).isZero();
        awaitUpstream(DRAINING, "65001", 0, false);

        long terminating = System.nanoTime();
        e2e.signal("TERM");
        awaitUpstream(DRAINING, "65001", 0, true);
        lab.upstream().awaitNoRoute(DRAINING);
        assertThat(Duration.ofNanos(System.nanoTime() - terminating)).isGreaterThanOrEqualTo(HOLD);
        assertThat(daemon.waitFor()).isZero();
        assertThat(daemon.out()).contains("Service \"web\" is drained gracefully: announcing related prefixes through route policy"
                + " GSHUT for 8s before withdrawing them.", "Service \"web\" is stopping gracefully");
    }

    @Test
    void aRouteMapFrrDoesNotHaveStopsTheDaemonAtStartUpSayingWhich() throws Exception {
        cabourotte.healthy("ntp");
        LauncherProcess daemon = runWhenDown("ntp", MISSING_MAP, "NO-SUCH-MAP");

        assertThat(daemon.waitFor()).isEqualTo(78);
        assertThat(daemon.err() + daemon.out()).contains("FRR has no route-map \"NO-SUCH-MAP\"");
        assertThat(lab.host().runningConfig()).doesNotContain("network " + MISSING_MAP);
    }

    /** Waits until the upstream has {@code prefix} with this AS path, MED and (or not) the GRACEFUL_SHUTDOWN community. */
    private void awaitUpstream(IpPrefix prefix, String asPath, int med, boolean gracefulShutdown) {
        await("upstream has " + prefix + " with AS path " + asPath + ", MED " + med + (gracefulShutdown ? ", graceful-shutdown" : ""))
                .atMost(EndToEndLab.PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> paths(prefix).stream().anyMatch(path -> path.path("aspath").path("string").asText().equals(asPath)
                        && path.path("metric").asInt(0) == med
                        && path.path("community").path("string").asText("").contains("graceful-shutdown") == gracefulShutdown));
    }

    private List<JsonNode> paths(IpPrefix prefix) {
        try {
            JsonNode route = JSON.readTree(lab.upstream().route(prefix));
            if (route == null || !route.isObject()) {
                throw new IllegalStateException("the upstream's answer is not a JSON object: " + route);
            }
            List<JsonNode> paths = new ArrayList<>();
            route.path("paths").forEach(paths::add);
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs service {@code name} with one prefix, its check read every 200 ms, and {@code when-down} through {@code routeMap}. */
    private LauncherProcess runWhenDown(String name, IpPrefix prefix, String routeMap) throws IOException {
        return e2e.run("""
                [services.%1$s]
                prefixes.frrouting = [{ prefix = "%2$s", vtysh = "%3$s" }]
                checks.cabourotte = [{ name = "%1$s", url = "%4$s", interval = "200ms" }]
                when-down = { route-map = "%5$s" }
                """.formatted(name, prefix, lab.host().vtysh(), cabourotte.url(), routeMap));
    }
}
