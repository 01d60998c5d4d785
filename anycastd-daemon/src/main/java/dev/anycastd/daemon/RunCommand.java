package dev.anycastd.daemon;

import dev.anycastd.config.toml.Configuration;
import dev.anycastd.daemon.logging.LogFormat;
import dev.anycastd.daemon.logging.LogLevel;
import dev.anycastd.daemon.logging.Logging;
import dev.anycastd.core.service.ServiceDefinition;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code anycastd run}: sets up logging, reads the configuration, and hands over to {@link Daemon}. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = {"Run anycastd: announce each service's prefixes while all its health checks pass.",
            "Stops on SIGTERM or SIGINT after withdrawing every prefix; SIGHUP reloads the configuration, SIGURG runs"
                + " every check now. Listens for status, drain, resume, check-now and reload on its control socket."})
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    private final Wiring wiring;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigurationOptions options;

    @Mixin
    private ControlOptions control;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "${env:LOG_LEVEL:-info}",
            description = "Log level: ${COMPLETION-CANDIDATES} (environment: LOG_LEVEL). Default: ${DEFAULT-VALUE}.")
    private LogLevel logLevel;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "${env:LOG_FORMAT}",
            description = "Log format: ${COMPLETION-CANDIDATES} (environment: LOG_FORMAT)."
                    + " Default: human on a terminal, json otherwise.")
    private LogFormat logFormat;

    @Option(names = "--no-color", description = "Do not colour human logs (also when the environment has NO_COLOR).")
    private boolean noColor;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:STATE_DIRECTORY:-/var/lib/anycastd}",
            description = "Where anycastd records the prefixes it may have announced, so that after a crash it withdraws"
                    + " those the configuration no longer names (environment: STATE_DIRECTORY, as systemd sets it)."
                    + " Default: ${DEFAULT-VALUE}.")
    private Path stateDirectory;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", converter = DurationOption.class,
            defaultValue = "${env:SHUTDOWN_TIMEOUT}",
            description = "How long withdrawing every prefix may take on SIGTERM or SIGINT before anycastd exits anyway"
                    + " (environment: SHUTDOWN_TIMEOUT; configuration: shutdown-timeout); systemd's TimeoutStopSec must be"
                    + " longer. Default: 30s.")
    private Duration shutdownTimeout;
    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT", defaultValue = "${env:METRICS_LISTEN}",
            converter = ListenAddress.class,
            description = "Serve Prometheus metrics at http://HOST:PORT/metrics, e.g. 127.0.0.1:9108 or [::1]:9108"
                    + " (environment: METRICS_LISTEN; configuration: metrics-listen). Default: no metrics listener.")
    private InetSocketAddress metricsListen;

    RunCommand(Wiring wiring) {
        this.wiring = wiring;
    }

    /** The state directory, or {@code null}, after a warning, when it cannot be used. */
    private StateDirectory stateDirectory() {
        try {
            return StateDirectory.open(stateDirectory);
        } catch (IOException | RuntimeException e) {
            log.atWarn().addKeyValue("state_dir", stateDirectory.toString()).addKeyValue("error", e.toString())
                    .log("Cannot use the state directory {} ({}); running without it: after a crash, only the prefixes still"
                            + " configured are withdrawn at start.", stateDirectory, e.toString());
            return null;
        }
    }

    @Override
    public Integer call() throws Exception {
        LogFormat format = logFormat != null ? logFormat : wiring.terminal() ? LogFormat.HUMAN : LogFormat.JSON;
        String noColorVariable = System.getenv("NO_COLOR");
        boolean color = wiring.terminal() && !noColor && (noColorVariable == null || noColorVariable.isEmpty());
        Logging.configure(format, logLevel, color, spec.commandLine().getOut());
        log.atInfo().addKeyValue("config_path", options.config())
                .log("Reading configuration from {}.", options.config());
        try (Plugins plugins = Plugins.open(options.pluginDir, wiring.classLoader())) {
            Configuration configuration = wiring.configuration().read(options.config(), plugins.providers());
            List<ServiceDefinition> services = configuration.services();
            RunSettings settings = RunSettings.resolve(metricsListen, shutdownTimeout, control, configuration.settings(),
                    options.config(), System.getenv(), wiring.shutdownLimit());
            // Bound before the routing daemon is touched: a second anycastd must stop here. Closed after every
            // prefix is withdrawn, so that no other daemon can start while this one still withdraws.
            try (ControlServer controlServer = ControlServer.bind(settings.controlSocket());
                    Monitoring monitoring = Monitoring.open(services, settings.metricsListen(), settings.metricsOrigin(),
                            System.getenv(), ManifestVersion.version())) {
                return new Daemon(services, wiring.withShutdownLimit(settings.shutdownTimeout()), monitoring).run(stateDirectory(),
                        plugins.providers(), controlServer, options.config(), configuration.settings());
            }
        }
    }
}
