package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.config.toml.DaemonSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which value of each daemon-wide setting {@code run} uses: option (or environment), else file, else default. */
class RunSettingsTest {

    private static final Path CONFIG = Path.of("/etc/anycastd/config.toml");
    private static final Duration DEFAULT_SHUTDOWN = Duration.ofSeconds(30);
    private static final InetSocketAddress FILE_METRICS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9108);
    private static final InetSocketAddress OPTION_METRICS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9200);
    private static final DaemonSettings FILE = new DaemonSettings(Optional.of(FILE_METRICS),
            Optional.of(Path.of("/run/file/control.sock")), Optional.of(Duration.ofSeconds(45)));

    @Test
    void withoutOptionsOrFileSettingsEveryDefaultHolds() {
        RunSettings settings = RunSettings.resolve(null, null, new ControlOptions(), DaemonSettings.NONE, CONFIG, Map.of(),
                DEFAULT_SHUTDOWN);

        assertThat(settings.metricsListen()).isNull();
        assertThat(settings.controlSocket()).isEqualTo(Path.of("/run/anycastd/control.sock"));
        assertThat(settings.shutdownTimeout()).isEqualTo(DEFAULT_SHUTDOWN);
    }

    @Test
    void theFileOverridesTheDefaultsIncludingSystemdsRuntimeDirectory() {
        RunSettings settings = RunSettings.resolve(null, null, new ControlOptions(), FILE, CONFIG,
                Map.of("RUNTIME_DIRECTORY", "/run/systemd-made"), DEFAULT_SHUTDOWN);

        assertThat(settings.metricsListen()).isEqualTo(FILE_METRICS);
        assertThat(settings.metricsOrigin()).isEqualTo("metrics-listen (/etc/anycastd/config.toml)");
        assertThat(settings.controlSocket()).isEqualTo(Path.of("/run/file/control.sock"));
        assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void withoutAFileSettingTheSocketIsInSystemdsRuntimeDirectory() {
        RunSettings settings = RunSettings.resolve(null, null, new ControlOptions(), DaemonSettings.NONE, CONFIG,
                Map.of("RUNTIME_DIRECTORY", "/run/systemd-made"), DEFAULT_SHUTDOWN);

        assertThat(settings.controlSocket()).isEqualTo(Path.of("/run/systemd-made/control.sock"));
    }

    @Test
    void anOptionOverridesTheFile() {
        ControlOptions control = new ControlOptions();
        control.controlSocket = Path.of("/tmp/option.sock");

        RunSettings settings = RunSettings.resolve(OPTION_METRICS, Duration.ofSeconds(5), control, FILE, CONFIG, Map.of(),
                DEFAULT_SHUTDOWN);

        assertThat(settings.metricsListen()).isEqualTo(OPTION_METRICS);
        assertThat(settings.metricsOrigin()).isEqualTo("--metrics-listen");
        assertThat(settings.controlSocket()).isEqualTo(Path.of("/tmp/option.sock"));
        assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
    }
}
