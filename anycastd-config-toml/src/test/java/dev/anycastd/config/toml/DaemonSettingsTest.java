package dev.anycastd.config.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.ConfigurationException.Kind;
import dev.anycastd.core.spi.ConfigurationException.Problem;
import dev.anycastd.core.spi.Providers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The daemon-wide settings at the top of the configuration file, as the reader gives them and refuses them. */
class DaemonSettingsTest {

    private static final Path FILE = Path.of("/etc/anycastd/config.toml");

    /** The original anycastd's example, which has none of the settings. */
    private static final String SERVICES = """
            [services.dns]
            prefixes.frrouting = ["2001:db8::b19:bad:53", "203.0.113.53"]
            checks.cabourotte = ["dns"]
            """;

    @TempDir
    Path directory;

    private Providers providers;

    @BeforeEach
    void createProviders() throws ConfigurationException {
        providers = Providers.of(List.of(new RecordingPrefixProvider()), List.of(new RecordingCheckProvider()));
    }

    @Test
    void theOriginalConfigurationHasNoSettingsAndTheSameServices() throws Exception {
        Configuration configuration = TomlConfiguration.parseConfiguration(SERVICES, FILE, providers);

        assertThat(configuration.settings()).isEqualTo(DaemonSettings.NONE);
        assertThat(configuration.settings().isEmpty()).isTrue();
        assertThat(configuration.settings().describe()).isEmpty();
        assertThat(configuration.services()).isEqualTo(TomlConfiguration.parse(SERVICES, FILE, providers));
    }

    @Test
    void readsEachSettingAtTheTopOfTheFile() throws Exception {
        Configuration configuration = TomlConfiguration.parseConfiguration("""
                metrics-listen = "127.0.0.1:9108"
                control-socket = "/run/anycastd/other.sock"
                shutdown-timeout = "45s"

                """ + SERVICES, FILE, providers);

        DaemonSettings settings = configuration.settings();
        assertThat(settings.metricsListen()).contains(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9108));
        assertThat(settings.controlSocket()).contains(Path.of("/run/anycastd/other.sock"));
        assertThat(settings.shutdownTimeout()).contains(Duration.ofSeconds(45));
        assertThat(settings.describe()).containsExactly("metrics-listen = \"127.0.0.1:9108\"",
                "control-socket = \"/run/anycastd/other.sock\"", "shutdown-timeout = \"45s\"");
        assertThat(configuration.services()).extracting(service -> service.name()).containsExactly("dns");
    }

    @Test
    void readsAnIpv6ListenAddressAndAShutdownTimeoutInSeconds() throws Exception {
        DaemonSettings settings = TomlConfiguration.parseConfiguration("""
                metrics-listen = "[::1]:9108"
                shutdown-timeout = 90
                """ + SERVICES, FILE, providers).settings();

        assertThat(settings.metricsListen()).contains(new InetSocketAddress(InetAddress.getByName("::1"), 9108));
        assertThat(settings.shutdownTimeout()).contains(Duration.ofSeconds(90));
        assertThat(settings.controlSocket()).isEmpty();
        assertThat(settings.describe()).containsExactly("metrics-listen = \"[0:0:0:0:0:0:0:1]:9108\"", "shutdown-timeout = \"90s\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "metrics-listen = \"9108\"                 | metrics-listen   | \"9108\" is not HOST:PORT; use e.g. \"127.0.0.1:9108\" or \"[::1]:9108\"",
        "metrics-listen = \"127.0.0.1:99999\"      | metrics-listen   | \"127.0.0.1:99999\" is not HOST:PORT; use e.g. \"127.0.0.1:9108\" or \"[::1]:9108\"",
        "metrics-listen = \"http://127.0.0.1:9108\" | metrics-listen  | \"http://127.0.0.1:9108\" is not HOST:PORT; use e.g. \"127.0.0.1:9108\" or \"[::1]:9108\"",
        "metrics-listen = 9108                     | metrics-listen   | expected text HOST:PORT, got integer 9108; write it in quotes, e.g. \"127.0.0.1:9108\"",
        "control-socket = \"anycastd/control.sock\" | control-socket  | \"anycastd/control.sock\" is not an absolute path; give the socket's full path, e.g. \"/run/anycastd/control.sock\"",
        "control-socket = \"\"                     | control-socket   | \"\" is not a file path",
        "control-socket = 1                        | control-socket   | expected text, got integer 1",
        "shutdown-timeout = \"0s\"                 | shutdown-timeout | \"0s\" is not a positive duration; use seconds (5, 0.5) or text (500ms, 2s, 1m, PT5S)",
        "shutdown-timeout = 0                      | shutdown-timeout | \"0\" is not a positive duration; use seconds (5, 0.5) or text (500ms, 2s, 1m, PT5S)",
        "shutdown-timeout = \"soon\"               | shutdown-timeout | \"soon\" is not a duration; use seconds (5, 0.5) or text (500ms, 2s, 1m, PT5S)",
    })
    void refusesAWrongSettingNamingFileKeyAndLine(String line, String key, String message) {
        ConfigurationException error = parseFailure("# daemon-wide settings\n" + line + "\n\n" + SERVICES);

        assertThat(error.kind()).isEqualTo(Kind.INVALID);
        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.keyPath()).isEqualTo(key);
            assertThat(problem.location().file()).isEqualTo(FILE);
            assertThat(problem.location().line()).isEqualTo(2);
            assertThat(problem.message()).isEqualTo(message);
        });
        assertThat(error.getMessage()).startsWith(FILE + ":2:");
    }

    @Test
    void aMisspelledSettingIsAnUnknownKeyWithASuggestion() {
        ConfigurationException error = parseFailure("metrics_listen = \"127.0.0.1:9108\"\n" + SERVICES);

        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.keyPath()).isEqualTo("metrics_listen");
            assertThat(problem.location().line()).isEqualTo(1);
            assertThat(problem.message()).contains("did you mean \"metrics-listen\"?");
        });
    }

    @Test
    void aSettingWrittenAfterAServiceTableBelongsToTheServiceAndIsRefusedThere() {
        ConfigurationException error = parseFailure(SERVICES + "shutdown-timeout = \"30s\"\n");

        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.keyPath()).isEqualTo("services.dns.shutdown-timeout");
            assertThat(problem.location().line()).isEqualTo(4);
        });
    }

    @Test
    void aWrongSettingIsReportedWithTheServicesProblemsInFileOrder() {
        ConfigurationException error = parseFailure("""
                shutdown-timeout = "-5s"
                control-socket = "relative.sock"

                [services.dns]
                prefixes.frrouting = ["203.0.113.53"]
                checks.cabourotte = ["dns"]
                rise = 0
                """);

        assertThat(error.problems()).extracting(Problem::keyPath, problem -> problem.location().line())
                .containsExactly(tuple("shutdown-timeout", 1),
                        tuple("control-socket", 2),
                        tuple("services.dns.rise", 7));
    }

    @Test
    void readsTheSettingsOfAFileAloneWithoutBuildingItsServices() throws Exception {
        Path file = directory.resolve("config.toml");
        Files.writeString(file, "control-socket = \"/run/other/control.sock\"\n" + """
                [services.dns]
                prefixes.bird = ["203.0.113.53"]
                """);

        assertThat(TomlConfiguration.readSettings(file).controlSocket()).contains(Path.of("/run/other/control.sock"));
        assertThat(catchThrowableOfType(ConfigurationException.class,
                () -> TomlConfiguration.readSettings(directory.resolve("missing.toml"))).kind()).isEqualTo(Kind.MISSING_FILE);
    }

    @Test
    void readingTheSettingsAloneStillRefusesAWrongOne() throws Exception {
        Path file = directory.resolve("config.toml");
        Files.writeString(file, "control-socket = \"relative.sock\"\n");

        ConfigurationException error = catchThrowableOfType(ConfigurationException.class, () -> TomlConfiguration.readSettings(file));
        assertThat(error.problems()).extracting(Problem::keyPath).containsExactly("control-socket");
    }

    @Test
    void namesTheKeysWhoseValuesChangedInFileOrder() throws Exception {
        DaemonSettings before = TomlConfiguration.parseConfiguration("shutdown-timeout = 30\n" + SERVICES, FILE, providers).settings();
        DaemonSettings after = TomlConfiguration.parseConfiguration("""
                metrics-listen = "127.0.0.1:9108"
                shutdown-timeout = "60s"
                """ + SERVICES, FILE, providers).settings();

        assertThat(after.keysChangedFrom(before)).containsExactly("metrics-listen", "shutdown-timeout");
        assertThat(after.keysChangedFrom(after)).isEmpty();
        assertThat(DaemonSettings.NONE.keysChangedFrom(before)).containsExactly("shutdown-timeout");
    }

    @Test
    void theRecordRefusesARelativeSocketAndANonPositiveTimeout() {
        assertThatThrownBy(() -> new DaemonSettings(Optional.empty(), Optional.of(Path.of("x.sock")), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an absolute path");
        assertThatThrownBy(() -> new DaemonSettings(Optional.empty(), Optional.empty(), Optional.of(Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not positive");
    }

    private ConfigurationException parseFailure(String text) {
        ConfigurationException error = catchThrowableOfType(ConfigurationException.class,
                () -> TomlConfiguration.parseConfiguration(text, FILE, providers));
        assertThat(error).as("the configuration must be rejected").isNotNull();
        return error;
    }
}
