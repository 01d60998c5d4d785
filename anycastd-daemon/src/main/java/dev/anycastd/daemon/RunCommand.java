package dev.anycastd.daemon;

import dev.anycastd.core.service.ServiceDefinition;
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
            "Stops on SIGTERM or SIGINT after withdrawing every prefix."})
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    private final Wiring wiring;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigurationOptions options;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "${env:LOG_LEVEL:-info}",
            description = "Log level: ${COMPLETION-CANDIDATES} (environment: LOG_LEVEL). Default: ${DEFAULT-VALUE}.")
    private LogLevel logLevel;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "${env:LOG_FORMAT}",
            description = "Log format: ${COMPLETION-CANDIDATES} (environment: LOG_FORMAT)."
                    + " Default: human on a terminal, json otherwise.")
    private LogFormat logFormat;

    @Option(names = "--no-color", description = "Do not colour human logs (also when the environment has NO_COLOR).")
    private boolean noColor;

    RunCommand(Wiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public Integer call() throws Exception {
        LogFormat format = logFormat != null ? logFormat : wiring.terminal() ? LogFormat.HUMAN : LogFormat.JSON;
        String noColorVariable = System.getenv("NO_COLOR");
        boolean color = wiring.terminal() && !noColor && (noColorVariable == null || noColorVariable.isEmpty());
        Logging.configure(format, logLevel, color, spec.commandLine().getOut());
        log.atInfo().addKeyValue("config_path", options.config)
                .log("Reading configuration from {}.", options.config);
        try (Plugins plugins = Plugins.open(options.pluginDir, wiring.classLoader())) {
            List<ServiceDefinition> services = wiring.configuration().load(options.config, plugins.providers());
            return new Daemon(services, wiring).run();
        }
    }
}
