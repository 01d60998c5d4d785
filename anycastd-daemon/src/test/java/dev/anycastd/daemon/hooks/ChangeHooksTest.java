package dev.anycastd.daemon.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.runtime.RuntimeEvent;
import dev.anycastd.core.runtime.RuntimeEvent.ServiceCondition;
import dev.anycastd.core.service.ChangeHook;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.daemon.logging.LogFormat;
import dev.anycastd.daemon.logging.LogLevel;
import dev.anycastd.daemon.logging.Logging;
import dev.anycastd.testkit.FakePrefix;
import dev.anycastd.testkit.ScriptedHealthCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real programs as hooks: their environment, their output in the log, their timeout and coalescing. */
class ChangeHooksTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    private final StringWriter log = new StringWriter();
    private final ChangeHooks hooks = new ChangeHooks();

    @BeforeEach
    void captureTheLog() {
        Logging.configure(LogFormat.LOGFMT, LogLevel.INFO, false, new PrintWriter(log, true));
    }

    @AfterEach
    void closeTheHooks() throws InterruptedException {
        hooks.close(Duration.ofSeconds(5));
    }

    private Path script(String name, String body) throws IOException {
        Path script = Files.writeString(directory.resolve(name), "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private void use(String service, Duration timeout, String... command) {
        hooks.use(List.of(new ServiceDefinition(service, List.of(FakePrefix.of("203.0.113.53")),
                List.of(new ScriptedHealthCheck("dns", Duration.ofSeconds(1))), dev.anycastd.core.service.Policy.DEFAULT, "",
                Optional.of(new ChangeHook(List.of(command), timeout)))));
    }

    private static RuntimeEvent.ChangeApplied change(String service, ServiceCondition from, ServiceCondition to, String reason) {
        return new RuntimeEvent.ChangeApplied(service, from, to, reason,
                List.of(IpPrefix.parse("203.0.113.53"), IpPrefix.parse("2001:db8::53")), null, Instant.EPOCH);
    }

    @Test
    void runsTheHookWithTheChangeInItsEnvironmentAndLogsItsOutputWithTheServiceName() throws Exception {
        Path hook = script("hook", """
                echo "service=$ANYCASTD_SERVICE old=$ANYCASTD_OLD_STATE new=$ANYCASTD_NEW_STATE"
                echo "prefixes=$ANYCASTD_PREFIXES reason=$ANYCASTD_REASON error=[$ANYCASTD_ROUTER_ERROR] arg=$1"
                echo "to stderr" >&2
                exit 3""");
        use("dns", Duration.ofSeconds(10), hook.toString(), "first");

        hooks.onEvent(change("dns", ServiceCondition.WITHDRAWN, ServiceCondition.ANNOUNCED, "all checks healthy"));

        await().atMost(PATIENCE).until(() -> log.toString().contains("failed with exit code 3"));
        assertThat(log.toString())
                .contains("service=dns stream=stdout", "Hook of service \\\"dns\\\" (stdout): service=dns old=withdrawn new=announced")
                .contains("prefixes=203.0.113.53/32 2001:db8::53/128 reason=all checks healthy error=[] arg=first")
                .contains("level=warning", "Hook of service \\\"dns\\\" (stderr): to stderr");
    }

    @Test
    void aHookThatOutlivesItsTimeoutIsKilledWithTheProcessesItStarted() throws Exception {
        Path pidFile = directory.resolve("sleep.pid");
        Path hook = script("hang", "sleep 600 &\necho $! > " + pidFile + "\nwait");
        use("dns", Duration.ofMillis(500), hook.toString());

        hooks.onEvent(change("dns", ServiceCondition.ANNOUNCED, ServiceCondition.WITHDRAWN, "check dns: unhealthy: down"));

        await().atMost(PATIENCE).until(() -> log.toString().contains("did not finish within 500 ms; killed it and the 1 processes"));
        long sleep = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(PATIENCE).until(() -> ProcessHandle.of(sleep).map(process -> !process.isAlive()).orElse(true));
    }

    @Test
    void runsOneAtATimePerServiceAndCoalescesWhatComesMeanwhileIntoTheNewestChange() throws Exception {
        Path gate = directory.resolve("gate");
        Path runs = directory.resolve("runs");
        Path hook = script("slow", "while [ ! -e " + gate + " ]; do sleep 0.05; done\necho \"$ANYCASTD_OLD_STATE $ANYCASTD_NEW_STATE\" >> " + runs);
        use("dns", Duration.ofSeconds(30), hook.toString());

        hooks.onEvent(change("dns", ServiceCondition.WITHDRAWN, ServiceCondition.ANNOUNCED, "1"));
        hooks.onEvent(change("dns", ServiceCondition.ANNOUNCED, ServiceCondition.WITHDRAWN, "2"));
        hooks.onEvent(change("dns", ServiceCondition.WITHDRAWN, ServiceCondition.DRAINED, "3"));
        hooks.onEvent(change("other", ServiceCondition.WITHDRAWN, ServiceCondition.ANNOUNCED, "a service without a hook"));
        Files.createFile(gate);

        await().atMost(PATIENCE).until(() -> Files.exists(runs) && Files.readAllLines(runs).size() == 2);
        assertThat(Files.readAllLines(runs)).containsExactly("withdrawn announced", "announced drained");
    }

    @Test
    void aVeryLongLineIsCutAndCounted() throws Exception {
        Path hook = script("long", "head -c 5000 /dev/zero | tr '\\0' x; echo");
        use("dns", Duration.ofSeconds(10), hook.toString());

        hooks.onEvent(change("dns", ServiceCondition.WITHDRAWN, ServiceCondition.ANNOUNCED, "all checks healthy"));

        await().atMost(PATIENCE).until(() -> log.toString().contains("The hook of service \\\"dns\\\" finished."));
        assertThat(log.toString()).contains("x".repeat(HookRun.MAX_LINE) + " [4000 more characters]")
                .doesNotContain("x".repeat(HookRun.MAX_LINE + 1));
    }

    @Test
    void closeKillsWhatStillRunsAfterItsLimit() throws Exception {
        Path hook = script("hang", "exec sleep 600");
        use("dns", Duration.ofMinutes(5), hook.toString());
        hooks.onEvent(change("dns", ServiceCondition.WITHDRAWN, ServiceCondition.ANNOUNCED, "all checks healthy"));
        await().atMost(PATIENCE).until(() -> ProcessHandle.current().descendants()
                .anyMatch(process -> process.info().commandLine().orElse("").contains("sleep 600")));

        assertThat(hooks.close(Duration.ofMillis(200))).isFalse();

        await().atMost(PATIENCE).until(() -> ProcessHandle.current().descendants()
                .noneMatch(process -> process.isAlive() && process.info().commandLine().orElse("").contains("sleep 600")));
        assertThat(log.toString()).contains("is still running at shutdown after 200 ms; killing it.");
    }

    @Test
    void closeStillRunsAChangeThatWaitedBehindARunningHookWithinItsLimitButTakesNoNewOne() throws Exception {
        Path gate = directory.resolve("gate");
        Path runs = directory.resolve("runs");
        Path hook = script("slow", "while [ ! -e " + gate + " ]; do sleep 0.05; done\necho \"$ANYCASTD_NEW_STATE\" >> " + runs);
        use("dns", Duration.ofSeconds(30), hook.toString());
        hooks.onEvent(change("dns", ServiceCondition.WITHDRAWN, ServiceCondition.ANNOUNCED, "1"));
        hooks.onEvent(change("dns", ServiceCondition.ANNOUNCED, ServiceCondition.WITHDRAWN, "stopping"));
        Files.createFile(gate);

        assertThat(hooks.close(PATIENCE)).isTrue();
        hooks.onEvent(change("dns", ServiceCondition.WITHDRAWN, ServiceCondition.ANNOUNCED, "after close"));

        assertThat(Files.readAllLines(runs)).containsExactly("announced", "withdrawn");
    }
}
