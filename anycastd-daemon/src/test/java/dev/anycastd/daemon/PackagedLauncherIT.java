package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.testkit.plugin.FileCheckProvider;
import dev.anycastd.testkit.plugin.FilePrefix;
import dev.anycastd.testkit.plugin.FileRoutingProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tarball as an operator unpacks it: its POSIX launcher, a real configuration file, a
 * plugin jar in its plugins directory, real signals. The plugin holds the testkit's
 * file-backed fakes, so what the daemon announces can be watched from outside the process.
 */
class PackagedLauncherIT {

    private static final IpPrefix DNS = IpPrefix.parse("203.0.113.53");

    @TempDir
    static Path installation;

    static Path home;

    @TempDir
    Path work;

    @BeforeAll
    static void unpackTheTarball() throws Exception {
        home = Tarball.unpack(installation);
        PluginJar.write(home.resolve("plugins/anycastd-fakes.jar"),
                List.of(FileRoutingProvider.class), List.of(FileCheckProvider.class));
    }

    @Test
    void theTarballHoldsLauncherLibrariesPluginsExampleAndUnit() {
        assertThat(home.resolve("bin/anycastd")).isExecutable();
        assertThat(home.resolve("lib")).isDirectoryContaining("glob:**/anycastd-daemon-*.jar")
                .isDirectoryContaining("glob:**/picocli-*.jar");
        assertThat(home.resolve("etc/config.toml")).content().contains("[services.dns]");
        assertThat(home.resolve("anycastd.service")).content()
                .contains("Restart=on-failure", "KillSignal=SIGTERM", "TimeoutStopSec=", "NoNewPrivileges=yes",
                        "StateDirectory=anycastd", "RuntimeDirectory=anycastd");
    }

    @Test
    void theTarballHoldsTheLicenceManPageAndCompletion() throws Exception {
        assertThat(home.resolve("LICENSE")).content().contains("Apache License", "Version 2.0");
        assertThat(home.resolve("NOTICE")).exists();
        assertThat(home.resolve("CHANGELOG.md")).content().startsWith("# Changelog");
        assertThat(home.resolve("share/man/man8/anycastd.8.gz")).isRegularFile();
        assertThat(home.resolve("share/bash-completion/completions/anycastd")).content()
                .contains("complete -F _complete_anycastd", "drain", "check-now");
    }

    @Test
    void theOriginalsConfigurationOptionNamesTheFileToo() throws Exception {
        LauncherProcess launcher = launch(Map.of(), "check-config", "--configuration", home.resolve("etc/config.toml").toString());

        assertThat(launcher.waitFor()).as(launcher.err()).isZero();
        assertThat(launcher.out()).contains("is valid: 1 service.");
    }

    @Test
    void versionPrintsTheProjectVersion() throws Exception {
        LauncherProcess launcher = launch(Map.of(), "--version");

        assertThat(launcher.waitFor()).isZero();
        assertThat(launcher.out()).isEqualTo("anycastd " + System.getProperty("anycastd.version") + "\n");
    }

    @Test
    void checkConfigListsTheServicesOfTheShippedExample() throws Exception {
        LauncherProcess launcher = launch(Map.of(), "check-config", "--config", home.resolve("etc/config.toml").toString());

        assertThat(launcher.waitFor()).as(launcher.err()).isZero();
        assertThat(launcher.out()).contains("is valid: 1 service.", "service dns",
                "prefixes: 2001:db8::b19:bad:53/128", "checks:   cabourotte dns at http://127.0.0.1:9013 every 5s");
    }

    @Test
    void aBrokenConfigurationExits65WithOneParagraphAndNoStackTrace() throws Exception {
        Path config = Files.writeString(work.resolve("config.toml"), "[services.dns]\nprefixes.frrouting = [\"192.0.2.1/24\"]\n"
                + "checks.cabourotte = [\"dns\"]\n");
        LauncherProcess launcher = launch(Map.of("CONFIG", config.toString()), "run");

        assertThat(launcher.waitFor()).isEqualTo(65);
        assertThat(launcher.err()).startsWith("anycastd: " + config + ":2:").contains("192.0.2.1/24")
                .doesNotContain("\tat ", "Exception");
    }

    @ParameterizedTest(name = "{0} on {1} exits {2}")
    @CsvSource(delimiter = '|', textBlock = """
            check-config | missing.toml   | 66 | missing.toml: no such file; create it or give the path of the configuration file
            run          | missing.toml   | 66 | missing.toml: no such file; create it or give the path of the configuration file
            check-config | directory.toml | 74 | directory.toml: is a directory; give the path of the configuration file
            run          | directory.toml | 74 | directory.toml: is a directory; give the path of the configuration file
            check-config | invalid.toml   | 65 | invalid.toml:1:14: invalid TOML: Unexpected end of line, expected ]
            check-config | unknown.toml   | 65 | unknown.toml:2:50: services.dns.prefixes.frrouting[0].vfr: unknown option "vfr" (did you mean "vrf"?)
            run          | unknown.toml   | 65 | unknown.toml:2:50: services.dns.prefixes.frrouting[0].vfr: unknown option "vfr" (did you mean "vrf"?)
            """)
    void aBrokenFileGivesTheDocumentedExitCodeAndOneParagraph(String command, String file, int exitCode, String message)
            throws Exception {
        Files.createDirectory(work.resolve("directory.toml"));
        Files.writeString(work.resolve("invalid.toml"), "[services.dns\n");
        Files.writeString(work.resolve("unknown.toml"), "[services.dns]\nprefixes.frrouting = [{ prefix = \"203.0.113.53\", vfr = \"x\" }]\n"
                + "checks.cabourotte = [\"dns\"]\n");
        Path config = work.resolve(file);

        LauncherProcess launcher = launch(Map.of("LOG_FORMAT", "logfmt"), command, "--config", config.toString());

        assertThat(launcher.waitFor()).as(launcher.err()).isEqualTo(exitCode);
        assertThat(launcher.err()).startsWith("anycastd: " + work + "/" + message).endsWith("\n")
                .doesNotContain("\tat ", "Exception");
        assertThat(launcher.err().lines()).as("one paragraph").hasSize(1);
    }

    @Test
    void aRoutingDaemonThatCannotCarryThePrefixExits78() throws Exception {
        Path config = configuration(work.resolve("no-such-directory"), work.resolve("healthy"));
        LauncherProcess launcher = launch(Map.of(), "run", "-c", config.toString());

        assertThat(launcher.waitFor()).isEqualTo(78);
        assertThat(launcher.err()).isEqualTo("anycastd: the routing daemon cannot carry a prefix; fix it and start again:\n"
                + "  service \"dns\", prefix 203.0.113.53/32 (file-routing): directory " + work.resolve("no-such-directory")
                + " does not exist; create it\n");
    }

    @Test
    void sigtermWithdrawsEveryPrefixLogsItAndExits0() throws Exception {
        Path routes = Files.createDirectories(work.resolve("routes"));
        Path healthy = Files.writeString(work.resolve("healthy"), "");
        Path announced = FilePrefix.marker(routes, DNS);
        LauncherProcess launcher = launch(Map.of("LOG_FORMAT", "logfmt"), "run", "-c", configuration(routes, healthy).toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(announced) || !launcher.process.isAlive());
        assertThat(announced).as(launcher.err()).exists();
        Files.delete(healthy);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(announced));
        Files.writeString(healthy, "");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(announced));

        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(launcher.process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(launcher.waitFor()).as(launcher.err()).isZero();
        assertThat(announced).doesNotExist();
        assertThat(launcher.out()).contains(
                "message=\"Reading configuration from " + work.resolve("config.toml") + ".\"",
                "message=\"Starting service \\\"dns\\\".\"",
                "message=\"Service \\\"dns\\\" is now considered healthy, announcing related prefixes.\"",
                "message=\"Service \\\"dns\\\" is now considered unhealthy, denouncing related prefixes:",
                "level=info logger=dev.anycastd.daemon.Daemon message=\"Received SIGTERM, terminating.\" signal=SIGTERM",
                "message=\"Service \\\"dns\\\" terminated.\"");
        assertThat(launcher.err()).isEmpty();
    }

    @Test
    void theLauncherRefusesAJavaOlderThan17() throws Exception {
        Path oldJava = Files.createDirectories(work.resolve("old-java/bin")).resolve("java");
        Files.writeString(oldJava, "#!/bin/sh\necho 'java version \"1.8.0_402\"' >&2\n");
        assertThat(oldJava.toFile().setExecutable(true)).isTrue();
        LauncherProcess launcher = launch(Map.of("JAVA_HOME", work.resolve("old-java").toString()), "--version");

        assertThat(launcher.waitFor()).isEqualTo(69);
        assertThat(launcher.err()).contains("is Java 1; anycastd needs Java 17 or newer");
    }

    private LauncherProcess launch(Map<String, String> environment, String... args) throws IOException {
        return LauncherProcess.start(home.resolve("bin/anycastd"), work, environment, args);
    }

    /** A service "dns" announced into {@code routes} while {@code healthy} exists, checked every 100 ms. */
    private Path configuration(Path routes, Path healthy) throws IOException {
        return Files.writeString(work.resolve("config.toml"), """
                [services.dns]
                prefixes.file-routing = [{ prefix = "203.0.113.53", directory = "%s" }]
                checks.file-check = [{ name = "dns", file = "%s", interval = 0.1 }]
                """.formatted(routes, healthy));
    }
}
