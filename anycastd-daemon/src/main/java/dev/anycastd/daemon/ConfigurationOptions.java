package dev.anycastd.daemon;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that say where the configuration and the plugins are; shared by every command that reads them. */
final class ConfigurationOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "PATH", defaultValue = "${env:CONFIG:-/etc/anycastd/config.toml}",
            description = "Location of the configuration file (environment: CONFIG). Default: ${DEFAULT-VALUE}.")
    Path config;

    // The launcher sets anycastd.plugin-dir to the package's plugins directory.
    @Option(names = "--plugin-dir", paramLabel = "DIR", defaultValue = "${sys:anycastd.plugin-dir}",
            description = "Directory whose jars are searched for prefix and check providers."
                    + " Default: the package's plugins directory.")
    Path pluginDir;
}
