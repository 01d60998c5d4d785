package dev.anycastd.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
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

    /**
     * Sends {@code request} and prints the answer: as one line of JSON with {@code --json}, else
     * the text {@code words} makes of it.
     *
     * @return the answer, for the command's exit code
     * @throws ControlException when the daemon does not answer, or answers with an error
     */
    JsonNode send(ObjectNode request, Duration limit, Function<JsonNode, String> words) throws ControlException {
        JsonNode answer = ControlClient.request(control.controlSocket, request, limit);
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
