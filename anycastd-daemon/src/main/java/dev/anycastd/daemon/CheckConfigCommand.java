package dev.anycastd.daemon;

import dev.anycastd.config.toml.Configuration;
import dev.anycastd.daemon.logging.LogFormat;
import dev.anycastd.daemon.logging.LogLevel;
import dev.anycastd.daemon.logging.Logging;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code anycastd check-config}: reads the configuration as {@code run} would and prints the services it defines. */
@Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = {"Validate the configuration and print the services anycastd would run.",
            "Checks the file and every prefix's and check's options; does not contact the routing daemon."})
final class CheckConfigCommand implements Callable<Integer> {

    private final Wiring wiring;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigurationOptions options;

    CheckConfigCommand(Wiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public Integer call() throws Exception {
        // Only what went wrong is logged; the answer is the listing on standard output.
        Logging.configure(LogFormat.HUMAN, LogLevel.WARNING, false, spec.commandLine().getErr());
        try (Plugins plugins = Plugins.open(options.pluginDir, wiring.classLoader())) {
            Configuration configuration = wiring.configuration().read(options.config(), plugins.providers());
            spec.commandLine().getOut().print(ServiceListing.of(options.config(), configuration));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
