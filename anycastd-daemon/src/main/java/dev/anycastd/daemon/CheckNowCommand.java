package dev.anycastd.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code anycastd check-now}: runs every check of the services at once and prints the results. */
@Command(name = "check-now", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = {"Run every check of a service (of every service without one) now, whatever its interval, and print"
                + " the results; they count as any other run. SIGURG to the daemon does the same for every service.",
            "Exits 0 when every result is healthy, 1 otherwise."})
final class CheckNowCommand implements Callable<Integer> {

    @Mixin
    private DaemonRequest daemon;

    @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "Only this service's checks.")
    private String service;

    @Override
    public Integer call() throws ControlException {
        ObjectNode request = ControlProtocol.JSON.createObjectNode().put("command", "check-now");
        if (service != null) {
            request.putArray("services").add(service);
        }
        JsonNode answer = daemon.send(request, ControlProtocol.CHECK_NOW_LIMIT.plus(Duration.ofSeconds(5)),
                CheckNowCommand::words);
        boolean healthy = true;
        for (JsonNode result : answer.path("results")) {
            for (JsonNode check : result.path("checks")) {
                healthy &= check.path("result").asText().equals("healthy");
            }
        }
        return healthy ? ExitCodes.OK : ExitCodes.NOT_AS_WANTED;
    }

    private static String words(JsonNode answer) {
        StringBuilder text = new StringBuilder();
        for (JsonNode result : answer.path("results")) {
            for (JsonNode check : result.path("checks")) {
                text.append(result.path("service").asText()).append(": check ").append(check.path("name").asText())
                        .append(": ").append(check.path("detail").asText()).append('\n');
            }
        }
        return text.toString();
    }
}
