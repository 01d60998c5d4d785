package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.anycastd.config.toml.TomlConfiguration;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckConfigCommandTest {

    private static final String DURATION_HINT = "; use seconds (5, 0.5) or text (500ms, 2s, 1m, PT5S)";

    @TempDir
    Path temp;

    @Test
    void printsEveryServiceWithItsPrefixesChecksAndIntervals() {
        CommandLineRun run = new CommandLineRun(TestWiring.with(
                (file, providers) -> List.of(RunCommandTest.service("dns", temp.resolve("routes")))));

        assertThat(run.execute("check-config", "-c", "/etc/anycastd/config.toml")).isZero();
        assertThat(run.out()).isEqualTo("""
                /etc/anycastd/config.toml is valid: 1 service.

                service dns
                  prefixes: 203.0.113.53/32 (file-routing)
                  checks:   dns every 100ms (timeout 2s)
                  policy:   rise 1, fall 1, require all (1 of 1 check must pass)
                  when down: withdraw
                  drain:    withdraw at once
                """);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void printsTheDaemonWideSettingsTheFileGives() throws IOException {
        Path config = Files.writeString(temp.resolve("config.toml"), """
                metrics-listen = "127.0.0.1:9108"
                control-socket = "/run/anycastd/control.sock"
                shutdown-timeout = "45s"

                [services.dns]
                prefixes.frrouting = ["203.0.113.53"]
                checks.cabourotte = ["dns"]
                """);
        CommandLineRun run = new CommandLineRun(TestWiring.with(ConfigurationSource.TOML));

        assertThat(run.execute("check-config", "-c", config.toString())).as(run.err()).isZero();
        assertThat(run.out()).startsWith(config + " is valid: 1 service.\n\n"
                + "settings (a command-line option or environment variable overrides each)\n"
                + "  metrics-listen = \"127.0.0.1:9108\"\n"
                + "  control-socket = \"/run/anycastd/control.sock\"\n"
                + "  shutdown-timeout = \"45s\"\n"
                + "\nservice dns\n");
    }

    @Test
    void aWrongSettingExits65NamingFileKeyAndLine() throws IOException {
        Path config = Files.writeString(temp.resolve("config.toml"), """
                # anycastd
                metrics-listen = "9108"

                [services.dns]
                prefixes.frrouting = ["203.0.113.53"]
                checks.cabourotte = ["dns"]
                """);
        CommandLineRun run = new CommandLineRun(TestWiring.with(ConfigurationSource.TOML));

        assertThat(run.execute("check-config", "-c", config.toString())).isEqualTo(65);
        assertThat(run.err()).isEqualTo("anycastd: " + config + ":2:1: metrics-listen: \"9108\" is not HOST:PORT; use e.g."
                + " \"127.0.0.1:9108\" or \"[::1]:9108\"" + System.lineSeparator());
    }

    @Test
    void printsTheRequireRuleTheAddressGuardsAndTheHook() throws Exception {
        java.nio.file.Path hook = java.nio.file.Files.writeString(temp.resolve("notify"), "#!/bin/sh\n");
        hook.toFile().setExecutable(true);
        java.nio.file.Path config = java.nio.file.Files.writeString(temp.resolve("config.toml"), """
                [services.dns]
                prefixes.frrouting = [{ prefix = "203.0.113.53", require-local = true, interface = "lo" }, "203.0.113.54"]
                checks.cabourotte = ["a", "b", "c"]
                require = "50%%"
                on-change = ["%s", "--quiet"]
                """.formatted(hook));
        CommandLineRun run = new CommandLineRun(TestWiring.with(TomlConfiguration::load));

        assertThat(run.execute("check-config", "-c", config.toString())).as(run.err()).isZero();
        assertThat(run.out()).contains("""
                  policy:   rise 1, fall 1, require 50%% (2 of 3 checks must pass)
                  guards:   203.0.113.53 on interface lo (must pass whatever require says)
                  on-change: %s --quiet (timeout 10s)
                """.formatted(hook)).contains("local-address 203.0.113.53 every 1s (203.0.113.53 on interface lo)");
    }

    @Test
    void theExampleConfigurationShippedInThePackagesIsValid() {
        CommandLineRun run = new CommandLineRun(TestWiring.with(TomlConfiguration::load));

        assertThat(run.execute("check-config", "-c", "src/main/dist/etc/config.toml")).as(run.err()).isZero();
        assertThat(run.out()).contains("service dns",
                "prefixes: 2001:db8::b19:bad:53/128", "203.0.113.53/32",
                "checks:   cabourotte dns at http://127.0.0.1:9013 every 5s");
    }

    @Test
    void reportsEveryWrongOptionOfACheckAtOnceInFileOrder() throws IOException {
        Path config = Files.writeString(temp.resolve("config.toml"), """
                [services.dns]
                prefixes.frrouting = ["203.0.113.53"]

                [[services.dns.checks.cabourotte]]
                name = "dns"
                max-age = [1]
                interval = 0.000001
                timeout = "abc"
                """);
        CommandLineRun run = new CommandLineRun(TestWiring.with(TomlConfiguration::load));

        assertThat(run.execute("check-config", "-c", config.toString())).isEqualTo(65);
        String check = "services.dns.checks.cabourotte[0]";
        assertThat(run.err()).isEqualTo("anycastd: "
                + config + ":6:1: " + check + ".max-age: expected a duration, got a list" + DURATION_HINT + "\n  "
                + config + ":7:1: " + check + ".interval: \"0.000001\" is shorter than 100ms, the shortest interval; use 100ms or "
                + "more\n  "
                + config + ":8:1: " + check + ".timeout: \"abc\" is not a duration" + DURATION_HINT + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void printsEachChecksTimeoutMaxAgeAndPushSettingsButNeverItsSecret() throws IOException {
        Path config = Files.writeString(temp.resolve("config.toml"), """
                [services.dns]
                prefixes.frrouting = ["203.0.113.53"]

                [[services.dns.checks.cabourotte]]
                name = "dns"
                interval = 1
                timeout = 1
                max-age = "30s"
                push-listen = "127.0.0.1:9014"
                push-secret = "s3cr3t"

                [[services.dns.checks.cabourotte]]
                name = "dns6"
                interval = "100ms"
                """);
        CommandLineRun run = new CommandLineRun(TestWiring.with(TomlConfiguration::load));

        assertThat(run.execute("check-config", "-c", config.toString())).as(run.err()).isZero();
        assertThat(run.out()).contains("  checks:   cabourotte dns at http://127.0.0.1:9013 every 1s (timeout 1s, max-age 30s,"
                + " push-listen 127.0.0.1:9014, push-path /anycastd/cabourotte, push-secret set),"
                + " cabourotte dns6 at http://127.0.0.1:9013 every 100ms (timeout 80ms)\n");
        assertThat(run.out() + run.err()).doesNotContain("s3cr3t");
    }

    @Test
    void anInvalidConfigurationExits65WithTheProblem() {
        CommandLineRun run = new CommandLineRun(TestWiring.with((file, providers) -> {
            throw new ConfigurationException("services.dns.checks.consul", new Location(file, 4, 1),
                    "unknown check type \"consul\"; known: cabourotte");
        }));

        assertThat(run.execute("check-config", "--config", "/c.toml")).isEqualTo(65);
        assertThat(run.err()).isEqualTo("anycastd: /c.toml:4:1: services.dns.checks.consul: unknown check type \"consul\"; known: cabourotte"
                + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anEndlessFileExits65InOneLine() {
        assumeThat(Path.of("/dev/zero")).as("a Unix /dev/zero").exists();
        CommandLineRun run = new CommandLineRun(TestWiring.with(TomlConfiguration::load));

        assertThat(run.execute("check-config", "-c", "/dev/zero")).isEqualTo(65);
        assertThat(run.err()).isEqualTo("anycastd: /dev/zero: is larger than 16 MiB, the most anycastd reads; a configuration of"
                + " 5,000 services takes about 600 KB, so give the path of the configuration file" + System.lineSeparator());
    }

    @Test
    void aMissingPluginDirectoryExits78() {
        CommandLineRun run = new CommandLineRun(TestWiring.with((file, providers) -> List.of()));

        assertThat(run.execute("check-config", "--plugin-dir", temp.resolve("nope").toString())).isEqualTo(78);
        assertThat(run.err()).contains("plugins directory \"" + temp.resolve("nope") + "\" does not exist");
    }
}
