package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The .deb installs with dpkg on this machine, its command works, and it goes away cleanly.
 * Needs root and dpkg; with CI=true it must run. Safe to run again: it purges what it installed,
 * and a leftover from an interrupted run is replaced by dpkg -i.
 */
class DebianPackageIT {

    @Test
    void installsRunsAndRemovesCleanly() throws Exception {
        boolean possible = "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/dpkg"));
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(possible, "installing a .deb needs root and dpkg");
        }
        Path deb = Path.of(System.getProperty("anycastd.deb"));

        try {
            assertThat(run("dpkg", "-i", deb.toString())).startsWith("0:");
            assertThat(run("/usr/bin/anycastd", "--version")).isEqualTo("0:anycastd " + System.getProperty("anycastd.version") + "\n");
            assertThat(run("/usr/bin/anycastd", "check-config")).startsWith("0:/etc/anycastd/config.toml is valid: 1 service.");
            assertThat(Path.of("/lib/systemd/system/anycastd.service")).exists();
            assertThat(run("getent", "passwd", "anycastd")).startsWith("0:anycastd:");
            assertThat(Path.of("/usr/share/anycastd/plugins")).isDirectory();
            assertThat(Files.readSymbolicLink(Path.of("/usr/bin/anycastd"))).isEqualTo(Path.of("../share/anycastd/bin/anycastd"));
            assertThat(run("/usr/bin/anycastd", "check-config", "--configuration", "/etc/anycastd/config.toml"))
                    .startsWith("0:/etc/anycastd/config.toml is valid");
            assertThat(Path.of("/usr/share/doc/anycastd/copyright")).content().contains("License: Apache-2.0");
            assertThat(Path.of("/usr/share/doc/anycastd/changelog.gz")).isRegularFile();

            assertThat(run("dpkg", "-r", "anycastd")).startsWith("0:");
            assertThat(Path.of("/usr/bin/anycastd")).doesNotExist();
            assertThat(Path.of("/usr/share/anycastd")).doesNotExist();
            // A conffile stays after remove, as Debian operators expect; purge takes it.
            assertThat(Path.of("/etc/anycastd/config.toml")).exists();
        } finally {
            run("dpkg", "-P", "anycastd");
        }
        assertThat(Path.of("/etc/anycastd/config.toml")).doesNotExist();
    }

    /** {@code man anycastd} works: the page renders without troff warnings and covers every command and section. */
    @Test
    void theManPageRendersAndCoversEveryCommand() throws Exception {
        Path page = extract("./usr/share/man/man8/anycastd.8.gz");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/man")) || "true".equals(System.getenv("CI")), "rendering needs man-db");

        Process man = new ProcessBuilder("man", "--warnings", "-l", page.toString())
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        String text = new String(man.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replaceAll("\u2010\\n\\s*", "");
        String warnings = new String(man.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(man.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(man.exitValue()).as(warnings).isZero();
        assertThat(warnings).isEmpty();
        assertThat(text).contains("ANYCASTD(8)", "SYNOPSIS", "COMMANDS", "ENVIRONMENT", "EXIT STATUS", "CONFIGURATION FILE",
                "FILES", "SIGNALS", "anycastd run", "anycastd check-config", "anycastd status", "anycastd drain",
                "anycastd resume", "anycastd check-now", "anycastd reload", "--shutdown-timeout", "SIGHUP", "STATE_DIRECTORY",
                "78");
    }

    /** The bash completion knows every subcommand of the program. */
    @Test
    void theCompletionNamesEverySubcommand() throws Exception {
        String completion = Files.readString(extract("./usr/share/bash-completion/completions/anycastd"));

        for (String command : AnycastdCommand.commandLine(Wiring.system()).getSubcommands().keySet()) {
            assertThat(completion).as(command).contains(command);
        }
        assertThat(completion).doesNotStartWith("#!");
    }

    /** Debian's own judge of a package's conventions finds nothing, tag by tag; run where lintian is installed (CI installs it). */
    @Test
    void lintianReportsNothing() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/lintian")), "lintian is not installed");
        }
        String report = run("lintian", "--allow-root", System.getProperty("anycastd.deb"));

        assertThat(report).isEqualTo("0:");
    }

    /** One file of the .deb, unpacked to a temporary directory. */
    private static Path extract(String member) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("anycastd-deb");
        assertThat(run("dpkg-deb", "-x", System.getProperty("anycastd.deb"), directory.toString())).isEqualTo("0:");
        return directory.resolve(member);
    }

    /** {@code exitcode:output} of a command, standard error included. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return process.exitValue() + ":" + new String(output, StandardCharsets.UTF_8);
    }
}
