package dev.anycastd.daemon.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged unit, as systemd reads it. */
class SystemdUnitTest {

    private static final Path UNIT = Path.of("src/main/dist/anycastd.service");
    private static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @Test
    void isANotifyServiceWithAWatchdogAndKeepsItsHardening() throws Exception {
        String unit = Files.readString(UNIT);

        assertThat(unit).contains("Type=notify\n", "NotifyAccess=main\n", "WatchdogSec=90s\n", "WatchdogSignal=SIGTERM\n",
                "NoNewPrivileges=yes\n", "ProtectSystem=strict\n", "CapabilityBoundingSet=\n",
                "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\n");
    }

    @Test
    void systemdAnalyzeVerifiesItWithoutAWord(@TempDir Path directory) throws Exception {
        assumeTrue(Files.isExecutable(ANALYZE), "systemd-analyze is not installed");
        // Not installed here: point ExecStart at a program that exists, so verify judges the rest.
        Path unit = directory.resolve("anycastd.service");
        Files.writeString(unit, Files.readString(UNIT).replace("/usr/bin/anycastd", "/bin/true"));

        // --man=no: Documentation=man:anycastd(8) exists once the package is installed (DebianPackageIT renders it).
        Process verify = new ProcessBuilder(ANALYZE.toString(), "verify", "--man=no", unit.toString()).redirectErrorStream(true)
                .start();
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).as("systemd-analyze ignores a bad line with only a warning").isEmpty();
    }
}
