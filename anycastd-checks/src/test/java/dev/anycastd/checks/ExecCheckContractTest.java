package dev.anycastd.checks;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.contract.HealthCheckContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The exec check honours the contract every check is held to. */
class ExecCheckContractTest extends HealthCheckContract {

    @TempDir
    Path directory;

    private HealthCheck check(String body, String timeout) throws Exception {
        Path script = directory.resolve("check");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return command(script, timeout);
    }

    private static HealthCheck command(Path command, String timeout) throws Exception {
        return new ExecCheckProvider().create(Options.of("services.contract.checks.exec[0]",
                Map.of("command", command.toString(), "interval", "5s", "timeout", timeout)));
    }

    @Override
    protected HealthCheck healthyCheck() throws Exception {
        return check("exit 0", "4s");
    }

    @Override
    protected HealthCheck failingCheck() throws Exception {
        return check("echo refused; exit 1", "4s");
    }

    @Override
    protected HealthCheck unreachableCheck() throws Exception {
        return command(directory.resolve("no-such-program"), "4s");
    }

    @Override
    protected HealthCheck slowCheck() throws Exception {
        return check("sleep 60", "300ms");
    }
}
