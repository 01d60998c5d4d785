package dev.anycastd.daemon;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that say where the configuration and the plugins are; shared by every command that reads them. */
final class ConfigurationOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "PATH", defaultValue = "${env:CONFIG:-/etc/anycastd/config.toml}",
            description = "Location of the configuration file (environment: CONFIG). Default: ${DEFAULT-VALUE}.")
    private Path config;

    /** The original anycastd's name of {@code --config}: its documentation and scripts keep working. Not shown in help. */
    @Option(names = "--configuration", paramLabel = "PATH", hidden = true)
    private Path configuration;

    /** The configuration file: {@code --configuration} when given (picocli fills {@code config} with its default anyway). */
    Path config() {
        return configuration != null ? configuration : config;
    }

    // The launcher sets anycastd.plugin-dir to the package's plugins directory.
    @Option(names = "--plugin-dir", paramLabel = "DIR", defaultValue = "${sys:anycastd.plugin-dir}",
            description = "Directory whose jars are searched for prefix and check providers."
                    + " Default: the package's plugins directory.")
    Path pluginDir;
}
