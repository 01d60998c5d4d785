package dev.anycastd.daemon;

import dev.anycastd.config.toml.DaemonSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The daemon-wide settings {@code anycastd run} uses: each from its command-line option (or that
 * option's environment variable), else from the configuration file, else the default.
 *
 * @param metricsListen where to serve metrics, or {@code null} for nowhere
 * @param metricsOrigin what asked for {@code metricsListen}, for errors: {@code --metrics-listen}
 *     or the configuration key with its file
 * @param controlSocket where the control socket is
 * @param shutdownTimeout how long withdrawing every prefix may take at exit
 */
record RunSettings(InetSocketAddress metricsListen, String metricsOrigin, Path controlSocket, Duration shutdownTimeout) {

    /**
     * @param metricsOption {@code --metrics-listen} or {@code METRICS_LISTEN}, or {@code null}
     * @param shutdownOption {@code --shutdown-timeout} or {@code SHUTDOWN_TIMEOUT}, or {@code null}
     * @param control {@code --control-socket} or {@code CONTROL_SOCKET}, and the socket's default
     * @param file what the configuration file {@code config} sets
     * @param environment for the control socket's default ({@code RUNTIME_DIRECTORY})
     * @param defaultShutdown the shutdown bound when neither option nor file gives one
     */
    static RunSettings resolve(InetSocketAddress metricsOption, Duration shutdownOption, ControlOptions control,
            DaemonSettings file, Path config, Map<String, String> environment, Duration defaultShutdown) {
        InetSocketAddress metrics = metricsOption != null ? metricsOption : file.metricsListen().orElse(null);
        String origin = metricsOption != null ? "--metrics-listen" : "metrics-listen (" + config + ")";
        Duration shutdown = Optional.ofNullable(shutdownOption).or(file::shutdownTimeout).orElse(defaultShutdown);
        return new RunSettings(metrics, origin, control.controlSocket(file.controlSocket(), environment), shutdown);
    }
}
