package dev.anycastd.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** An exec check running shell scripts written by each test. */
class ExecCheckTest {

    @TempDir
    Path directory;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger outcomesLog = (Logger) LoggerFactory.getLogger(CheckOutcomes.class);

    ExecCheckTest() {
        logged.start();
        outcomesLog.addAppender(logged);
    }

    @AfterEach
    void detach() {
        outcomesLog.detachAppender(logged);
    }

    private Path script(String name, String body) throws IOException {
        Path script = directory.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static HealthCheck check(Path command, Map<String, Object> more) throws ConfigurationException {
        Map<String, Object> options = new HashMap<>(Map.of("command", command.toString(), "interval", "5s"));
        options.putAll(more);
        return new ExecCheckProvider().create(Options.of("services.dns.checks.exec[0]", options));
    }

    @Test
    void exitZeroIsHealthy() throws Exception {
        assertThat(check(script("ok", "exit 0"), Map.of()).check()).isEqualTo(Health.healthy());
    }

    @Test
    void anotherExitIsUnhealthyWithTheStartOfTheOutput() throws Exception {
        Path script = script("fail", "echo 'no answer from' >&2; echo '127.0.0.1'; exit 3");

        assertThat(check(script, Map.of()).check()).isEqualTo(Health.unhealthy(script + " exited 3: no answer from 127.0.0.1"));
    }

    @Test
    void aProgramThatCannotStartIsUnknown() throws Exception {
        Path missing = directory.resolve("missing");

        assertThat(check(missing, Map.of()).check()).isInstanceOfSatisfying(Health.Unknown.class,
                unknown -> assertThat(unknown.error()).startsWith("cannot run " + missing));
    }

    @Test
    void argumentsEnvironmentAndWorkingDirectoryReachTheCommand() throws Exception {
        Path work = Files.createDirectory(directory.resolve("work"));
        Path script = script("show", "echo \"$1 $GREETING $(pwd)\"; exit 1");

        Health health = check(script, Map.of("arguments", List.of("one"), "environment", Map.of("GREETING", "hello"),
                "working-directory", work.toString())).check();

        assertThat(health).isEqualTo(Health.unhealthy(script + " exited 1: one hello " + work));
    }

    @Test
    void aHungCommandIsKilledAtItsTimeoutWithEveryProcessItStarted() throws Exception {
        Path pids = directory.resolve("pids");
        Path script = script("hang", "sleep 600 & echo $! > " + pids + "; echo $$ >> " + pids + "; wait");
        HealthCheck check = check(script, Map.of("timeout", "1s"));

        Health health = check.check();

        assertThat(health).isEqualTo(Health.unknown(script + " did not finish within 1000 ms and was killed"));
        List<Long> started = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
        assertThat(started).hasSize(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(started)
                .allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d alive", pid)
                        .isFalse()));
    }

    @Test
    void theOutputIsLoggedWhenTheOutcomeChangesNotAtEveryRun() throws Exception {
        Path state = directory.resolve("state");
        Files.writeString(state, "0");
        Path script = script("flip", "echo \"zone serial $(cat " + state + ")\"; exit $(cat " + state + ")");
        HealthCheck check = check(script, Map.of());

        check.check();
        check.check();
        Files.writeString(state, "2");
        check.check();
        check.check();

        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Check exec flip running " + script + " is now healthy; its output: zone serial 0",
                "Check exec flip running " + script + " is now unhealthy: " + script + " exited 2: zone serial 2; its output: "
                        + "zone serial 2");
    }

    @Test
    void checkConfigShowsTheWorkingDirectoryAndTheNamesOfTheVariablesOnly() throws Exception {
        HealthCheck check = check(script("ok", "exit 0"), Map.of("environment", Map.of("TOKEN", "secret", "LANG", "C"),
                "working-directory", directory.toString()));

        assertThat(check.settings()).containsExactly("working-directory " + directory, "environment LANG,TOKEN");
        assertThat(String.join(" ", check.settings())).doesNotContain("secret");
    }
}
