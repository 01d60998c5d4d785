package dev.anycastd.frr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vtysh's process handling, with small shell scripts standing in for vtysh (no FRR needed). */
class VtyshTest {

    @TempDir
    Path directory;

    @Test
    void passesEachCommandAsOneArgumentWithNoShellInBetween() throws Exception {
        Path marker = directory.resolve("injected");
        Path echo = script("echo-arguments", "printf '[%s]' \"$@\"");
        String hostile = "network 203.0.113.53/32; touch " + marker + " $(touch " + marker + ") `touch " + marker + "`";

        FrrTransport.Result result = new Vtysh(echo, Duration.ofSeconds(5)).run(List.of("configure terminal\nrouter bgp 65001", hostile));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("[-c][configure terminal\nrouter bgp 65001][-c][" + hostile + "]");
        assertThat(marker).doesNotExist();
    }

    @Test
    void reportsExitCodeStdoutAndStderrAsTheyAre() throws Exception {
        Path failing = script("failing", "echo '% Unknown command: shw bgp'", "echo 'bgpd is not running' >&2", "exit 1");

        FrrTransport.Result result = new Vtysh(failing, Duration.ofSeconds(5)).run(List.of("shw bgp"));

        assertThat(result.succeeded()).isFalse();
        VtyshException failure = result.failure("vtysh failed");
        assertThat(failure.commands()).containsExactly("shw bgp");
        assertThat(failure.exitCode()).isEqualTo(OptionalInt.of(1));
        assertThat(failure.stdout()).isEqualTo("% Unknown command: shw bgp\n");
        assertThat(failure.stderr()).isEqualTo("bgpd is not running\n");
        assertThat(failure).hasMessage("vtysh failed; commands: \"shw bgp\"; exit code 1; stdout: \"% Unknown command: shw bgp\"; "
                + "stderr: \"bgpd is not running\"");
    }

    @Test
    void countsOutputOnStderrAsAFailureEvenWithExitCodeZero() throws Exception {
        Path warns = script("warns", "echo 'warning' >&2");

        assertThat(new Vtysh(warns, Duration.ofSeconds(5)).run(List.of("show version")).succeeded()).isFalse();
    }

    @Test
    void killsVtyshAndWhatItStartedWhenItOutlivesItsTimeout() throws Exception {
        Path pids = directory.resolve("pids");
        Path hanging = script("hanging", "sleep 60 &", "echo $$ $! > " + pids, "echo 'partial output'", "wait");

        assertThatThrownBy(() -> new Vtysh(hanging, Duration.ofMillis(500)).run(List.of("show bgp detail json")))
                .isInstanceOfSatisfying(VtyshException.class, failure -> {
                    assertThat(failure.exitCode()).isEmpty();
                    assertThat(failure.stdout()).isEqualTo("partial output\n");
                    assertThat(failure.commands()).containsExactly("show bgp detail json");
                })
                .hasMessageStartingWith("vtysh did not finish within PT0.5S and was killed");
        List<Long> started = List.of(Files.readString(pids).strip().split(" ")).stream().map(Long::parseLong).toList();
        await().atMost(Duration.ofSeconds(5)).until(() -> started.stream()
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }

    @Test
    void reportsAProgramThatCannotBeStarted() {
        Path missing = directory.resolve("no-vtysh");

        assertThatThrownBy(() -> new Vtysh(missing, Duration.ofSeconds(5)).run(List.of("show bgp detail json")))
                .isInstanceOfSatisfying(VtyshException.class, failure -> assertThat(failure.exitCode()).isEmpty())
                .hasMessageStartingWith("cannot run vtysh \"" + missing + "\"");
    }

    private Path script(String name, String... lines) throws IOException {
        Path script = directory.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
