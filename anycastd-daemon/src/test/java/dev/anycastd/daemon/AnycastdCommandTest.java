package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AnycastdCommandTest {

    private final CommandLineRun run = new CommandLineRun(TestWiring.with((file, providers) -> List.of()));

    @Test
    void helpListsTheCommandsAndTheExitCodes() {
        assertThat(run.execute("--help")).isZero();
        assertThat(run.out())
                .startsWith("Usage: anycastd [-hV] COMMAND")
                .contains("run ", "check-config ", "Exit codes:", "66   the configuration file does not exist");
    }

    @Test
    void versionNamesTheProgram() {
        assertThat(run.execute("--version")).isZero();
        // From a class directory there is no manifest; the packaged launcher test checks the number.
        assertThat(run.out()).matches("anycastd \\S.*\\R");
    }

    @Test
    void eachCommandHasItsOwnHelp() {
        assertThat(run.execute("run", "--help")).isZero();
        assertThat(run.out()).contains("Usage: anycastd run", "--config=PATH", "--log-level=LEVEL",
                "debug, info, warning, error", "human, json, logfmt", "--no-color", "--plugin-dir=DIR",
                "Default: /etc/anycastd/config.toml");
        assertThat(run.execute("check-config", "-h")).isZero();
        assertThat(run.out()).contains("Usage: anycastd check-config");
    }

    @Test
    void helpEndsWithTheFilesEnvironmentAndSignalsTheManPageShowsToo() {
        assertThat(run.execute("--help")).isZero();
        assertThat(run.out()).contains("Configuration file:", "Files:", "/var/lib/anycastd/drains.json", "Environment:",
                "ANYCASTD_OPTS", "Signals:", "SIGHUP", "SIGURG");
    }

    @Test
    void theOriginalsConfigurationOptionIsAcceptedButNotShown() {
        AtomicReference<Path> read = new AtomicReference<>();
        CommandLineRun recording = new CommandLineRun(TestWiring.with((file, providers) -> {
            read.set(file);
            return List.of();
        }));

        recording.execute("check-config", "--configuration", "/srv/anycastd.toml");

        assertThat(read.get()).isEqualTo(Path.of("/srv/anycastd.toml"));
        assertThat(run.execute("check-config", "--help")).isZero();
        assertThat(run.out()).contains("--config=PATH").doesNotContain("--configuration");
    }

    @Test
    void noCommandPrintsUsageAndExits64() {
        assertThat(run.execute()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("Usage: anycastd");
    }

    @Test
    void anUnknownLogLevelIsAUsageError() {
        assertThat(run.execute("run", "--log-level", "loud")).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Invalid value for option '--log-level'", "loud");
    }

    @Test
    void runningOutOfMemoryEndsInOneLineSayingHowToGiveMoreNotInAStackTrace() {
        CommandLineRun failing = new CommandLineRun(TestWiring.with((file, providers) -> {
            throw new OutOfMemoryError("Java heap space");
        }));

        assertThat(failing.execute("check-config", "-c", "/c.toml")).isEqualTo(ExitCodes.SOFTWARE);
        assertThat(failing.err()).isEqualTo("anycastd: internal error: java.lang.OutOfMemoryError: Java heap space; give Java a"
                + " larger heap with -Xmx in ANYCASTD_OPTS, e.g. ANYCASTD_OPTS=-Xmx256m" + System.lineSeparator());
    }

    @Test
    void anyOtherErrorEndsInOneLineNotInAStackTrace() {
        CommandLineRun failing = new CommandLineRun(TestWiring.with((file, providers) -> {
            throw new StackOverflowError();
        }));

        assertThat(failing.execute("run", "-c", "/c.toml")).isEqualTo(ExitCodes.SOFTWARE);
        assertThat(failing.err()).isEqualTo("anycastd: internal error: java.lang.StackOverflowError; this is a bug in anycastd or"
                + " one of its plugins, please report it" + System.lineSeparator());
    }

    @Test
    void logLevelsAndFormatsAreAcceptedInAnyCase() {
        assertThat(run.commandLine.parseArgs("run", "--log-level", "WARNING", "--log-format", "Logfmt").errors()).isEmpty();
    }
}
