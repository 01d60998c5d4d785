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

    /** {@code exitcode:output} of a command, standard error included. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return process.exitValue() + ":" + new String(output, StandardCharsets.UTF_8);
    }
}
