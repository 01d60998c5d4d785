package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.testkit.plugin.FilePrefix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * status, drain, resume and check-now against {@code anycastd run} in this JVM, with the
 * testkit's file-backed prefix and check; the FRR lab's version is {@code OperatingEndToEndIT}.
 */
class ControlCommandsTest {

    private static final IpPrefix DNS = IpPrefix.parse("203.0.113.53");

    @TempDir
    Path temp;

    private final AtomicReference<Termination> termination = new AtomicReference<>();
    private Path routes;
    private Path socket;
    private CompletableFuture<Integer> daemon;
    private CommandLineRun run;
    /** What the daemon reads as its configuration, at start and at each reload. */
    private final AtomicReference<ConfigurationSource> configuration = new AtomicReference<>();

    @BeforeEach
    void runTheDaemon() throws Exception {
        routes = Files.createDirectories(temp.resolve("routes"));
        socket = temp.resolve("run/control.sock");
        configuration.set((file, providers) -> List.of(RunCommandTest.service("dns", routes)));
        run = new CommandLineRun(TestWiring.with((file, providers) -> configuration.get().load(file, providers), termination));
        daemon = CompletableFuture.supplyAsync(() -> run.execute("run", "--log-format", "human",
                "--state-dir", temp.resolve("state").toString(), "--control-socket", socket.toString()));
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon.isDone() || Files.exists(FilePrefix.marker(routes, DNS)));
        assertThat(daemon).as(run.out() + run.err()).isNotDone();
    }

    @AfterEach
    void stopTheDaemon() throws Exception {
        if (termination.get() != null && !daemon.isDone()) {
            termination.get().signal("SIGTERM");
            assertThat(daemon.get(10, TimeUnit.SECONDS)).isZero();
        }
    }

    private CommandLineRun command(String... args) {
        CommandLineRun command = new CommandLineRun(TestWiring.with((file, providers) -> List.of()));
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add("--control-socket=" + socket);
        command.execute(all.toArray(String[]::new));
        return command;
    }

    private int exit(String... args) {
        CommandLineRun command = new CommandLineRun(TestWiring.with((file, providers) -> List.of()));
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add("--control-socket=" + socket);
        return command.execute(all.toArray(String[]::new));
    }

    @Test
    void statusShowsAnAnnouncedServiceAndExits0() {
        await().atMost(Duration.ofSeconds(10)).until(() -> exit("status") == 0);

        CommandLineRun status = command("status");

        assertThat(status.out()).containsPattern("(?m)^SERVICE +STATE +SINCE +WHY$")
                .containsPattern("(?m)^dns +announced +\\d+(ms|s) ago +all checks healthy$")
                .contains("  prefix 203.0.113.53/32 (file-routing): announced at the router, seen ")
                .contains("  check dns: healthy, ");
        assertThat(command("status", "--json").out()).startsWith("{\"version\":1,\"ok\":true,\"now\":\"")
                .contains("\"name\":\"dns\",\"state\":\"announced\"", "\"router\":\"announced\"");
    }

    @Test
    void aDrainWithdrawsIsRecordedAndShownAndResumeAnnouncesAgain() throws Exception {
        CommandLineRun drain = command("drain", "dns", "--reason", "kernel update", "--for", "1h");

        assertThat(drain.err()).isEmpty();
        assertThat(drain.out()).startsWith("Drained service \"dns\" until ").endsWith(": kernel update." + System.lineSeparator());
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(FilePrefix.marker(routes, DNS)));
        assertThat(Files.readString(temp.resolve("state").resolve(StateDirectory.DRAINS))).contains("\"service\" : \"dns\"",
                "\"reason\" : \"kernel update\"");
        CommandLineRun status = command("status", "dns");
        assertThat(status.out()).containsPattern("(?m)^dns +drained\\*? .*drained by the operator: kernel update \\(until ");
        await().atMost(Duration.ofSeconds(10)).until(() -> exit("status") == 0);

        assertThat(command("resume", "dns").out()).isEqualTo("Resumed service \"dns\": it is announced again once its checks"
                + " pass." + System.lineSeparator());

        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(FilePrefix.marker(routes, DNS)));
        assertThat(run.out()).contains("Service \"dns\" is drained, denouncing related prefixes.",
                "Service \"dns\" is now considered healthy, announcing related prefixes.");
    }

    @Test
    void drainingAnUnknownServiceExits64AndChangesNothing() throws Exception {
        CommandLineRun drain = command("drain", "ntp");

        assertThat(exit("drain", "ntp")).isEqualTo(64);
        assertThat(drain.err()).isEqualTo("anycastd: no service named \"ntp\"; known: [dns]" + System.lineSeparator());
        assertThat(temp.resolve("state").resolve(StateDirectory.DRAINS)).doesNotExist();
        assertThat(FilePrefix.marker(routes, DNS)).exists();
    }

    @Test
    void checkNowPrintsEveryResult() {
        CommandLineRun checkNow = command("check-now");

        assertThat(checkNow.err()).isEmpty();
        assertThat(checkNow.out()).isEqualTo("dns: check dns: healthy" + System.lineSeparator());
        assertThat(exit("check-now", "dns")).isZero();
    }

    @Test
    void aSecondDaemonOnTheSameSocketExits73BeforeTouchingAnyPrefix() throws Exception {
        Path otherRoutes = Files.createDirectories(temp.resolve("other-routes"));
        CommandLineRun second = new CommandLineRun(TestWiring.with((file, providers) -> List.of(RunCommandTest.service("dns",
                otherRoutes))));

        assertThat(second.execute("run", "--state-dir", temp.resolve("state2").toString(), "--control-socket",
                socket.toString())).isEqualTo(73);
        assertThat(second.err()).isEqualTo("anycastd: another anycastd is running: it answers on the control socket " + socket
                + "; two daemons must not drive one router. Stop it first, or give this one another --control-socket if it"
                + " drives another router" + System.lineSeparator());
        assertThat(otherRoutes).isEmptyDirectory();
        assertThat(exit("status")).as("the first daemon still answers").isNotEqualTo(69);
    }

    @Test
    void aReloadWithAnInvalidConfigurationExits65WithItsErrorsAndKeepsTheRunningOne() throws Exception {
        configuration.set((file, providers) -> {
            throw new dev.anycastd.core.spi.ConfigurationException(dev.anycastd.core.spi.ConfigurationException.Kind.INVALID,
                    List.of(new dev.anycastd.core.spi.ConfigurationException.Problem("services.dns.rise",
                            new dev.anycastd.core.spi.Location(file, 3, 1), "0 is not a positive integer")));
        });

        CommandLineRun reload = command("reload");

        assertThat(exit("reload")).isEqualTo(65);
        assertThat(reload.err()).isEqualTo("anycastd: /etc/anycastd/config.toml:3:1: services.dns.rise: 0 is not a positive"
                + " integer" + System.lineSeparator());
        assertThat(run.out()).contains("Reloading the configuration failed; still running the one read before."
                + " /etc/anycastd/config.toml:3:1: services.dns.rise: 0 is not a positive integer");
        assertThat(FilePrefix.marker(routes, DNS)).exists();
        assertThat(exit("status")).isZero();
    }

    @Test
    void aReloadReportsWhatChanged() throws Exception {
        Path webRoutes = Files.createDirectories(temp.resolve("web-routes"));
        configuration.set((file, providers) -> List.of(RunCommandTest.service("web", webRoutes)));

        CommandLineRun reload = command("reload");

        assertThat(reload.err()).isEmpty();
        assertThat(reload.out()).isEqualTo("Reloaded the configuration: added web; removed dns." + System.lineSeparator());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(FilePrefix.marker(webRoutes, DNS)));
        assertThat(run.out()).contains("Service \"web\" was added to the configuration; starting it.",
                "Service \"dns\" was removed from the configuration; withdrawing its prefixes.");
    }

    @Test
    void commandsExit69InOneLineWhenTheDaemonIsNotRunning() throws Exception {
        termination.get().signal("SIGTERM");
        assertThat(daemon.get(10, TimeUnit.SECONDS)).isZero();

        for (String[] args : List.of(new String[] {"status"}, new String[] {"drain", "--all"}, new String[] {"resume", "dns"},
                new String[] {"check-now"})) {
            CommandLineRun command = command(args);
            assertThat(exit(args)).isEqualTo(69);
            assertThat(command.err()).isEqualTo("anycastd: anycastd is not running: nothing answers on " + socket
                    + " (see --control-socket)" + System.lineSeparator());
        }
    }
}
