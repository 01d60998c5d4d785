package dev.anycastd.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anycastd.config.toml.TomlConfiguration;
import dev.anycastd.core.spi.ConfigurationException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every command that asks the running daemon something shares: where its control socket
 * is, {@code --json}, and the exchange itself, printing the answer as JSON or in words.
 */
final class DaemonRequest {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Mixin
    private ControlOptions control;

    @Option(names = "--json", description = "Print the daemon's answer as JSON (docs/CONTROL.md).")
    private boolean json;

    @Option(names = {"-c", "--config"}, paramLabel = "PATH", defaultValue = "${env:CONFIG:-/etc/anycastd/config.toml}",
            description = "The configuration file whose control-socket setting says where the socket is, when"
                    + " --control-socket does not (environment: CONFIG). Default: ${DEFAULT-VALUE}.")
    private Path config;

    /**
     * The daemon's socket. The configuration file is read for its {@code control-socket} only
     * when no option says where the socket is; a file this user cannot read, or one with
     * mistakes, leaves the default: the error that no daemon answers names the path tried.
     */
    private Path socket() {
        if (control.given()) {
            return control.controlSocket(Optional.empty(), System.getenv());
        }
        Optional<Path> configured;
        try {
            configured = TomlConfiguration.readSettings(config).controlSocket();
        } catch (ConfigurationException e) {
            configured = Optional.empty();
        }
        return control.controlSocket(configured, System.getenv());
    }

    /**
     * Sends {@code request} and prints the answer: as one line of JSON with {@code --json}, else
     * the text {@code words} makes of it.
     *
     * @return the answer, for the command's exit code
     * @throws ControlException when the daemon does not answer, or answers with an error
     */
    JsonNode send(ObjectNode request, Duration limit, Function<JsonNode, String> words) throws ControlException {
        JsonNode answer = ControlClient.request(socket(), request, limit);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(answer);
        } else {
            out.print(words.apply(answer));
        }
        out.flush();
        return answer;
    }
}
