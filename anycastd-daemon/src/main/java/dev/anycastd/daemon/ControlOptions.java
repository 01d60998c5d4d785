package dev.anycastd.daemon;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the control socket is; shared by {@code run}, which listens on it, and the commands that talk to the daemon. */
final class ControlOptions {

    @Option(names = "--control-socket", paramLabel = "PATH", defaultValue = "${env:CONTROL_SOCKET}",
            description = "The daemon's control socket (environment: CONTROL_SOCKET; configuration: control-socket)."
                    + " Default: control.sock in RUNTIME_DIRECTORY, as systemd sets it, else /run/anycastd/control.sock.")
    Path controlSocket;

    /**
     * The socket: {@code --control-socket} or {@code CONTROL_SOCKET}, else the configuration's
     * {@code control-socket}, else {@code control.sock} in systemd's {@code RUNTIME_DIRECTORY},
     * else {@code /run/anycastd/control.sock}.
     */
    Path controlSocket(Optional<Path> configured, Map<String, String> environment) {
        if (controlSocket != null) {
            return controlSocket;
        }
        // systemd's RuntimeDirectory=anycastd creates /run/anycastd and passes it as RUNTIME_DIRECTORY.
        String runtimeDirectory = environment.get("RUNTIME_DIRECTORY");
        return configured.orElseGet(() -> Path.of(runtimeDirectory == null || runtimeDirectory.isEmpty() ? "/run/anycastd"
                : runtimeDirectory, "control.sock"));
    }

    /** Whether {@code --control-socket} or {@code CONTROL_SOCKET} says where the socket is. */
    boolean given() {
        return controlSocket != null;
    }
}
