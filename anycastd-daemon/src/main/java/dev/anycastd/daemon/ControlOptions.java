package dev.anycastd.daemon;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the control socket is; shared by {@code run}, which listens on it, and the commands that talk to the daemon. */
final class ControlOptions {

    // systemd's RuntimeDirectory=anycastd creates /run/anycastd and passes it as RUNTIME_DIRECTORY.
    @Option(names = "--control-socket", paramLabel = "PATH",
            defaultValue = "${env:RUNTIME_DIRECTORY:-/run/anycastd}/control.sock",
            description = "The daemon's control socket (default: control.sock in RUNTIME_DIRECTORY, as systemd sets it,"
                    + " else /run/anycastd). Default: ${DEFAULT-VALUE}.")
    Path controlSocket;
}
