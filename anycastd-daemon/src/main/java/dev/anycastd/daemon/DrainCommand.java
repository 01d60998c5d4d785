package dev.anycastd.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code anycastd drain}: withdraws services for maintenance, whatever their checks say, recorded so that it outlives a restart. */
@Command(name = "drain", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = {"Withdraw the prefixes of services whatever their checks say, until resumed or for a while.",
            "The drain is recorded in the state directory: a drained service is not announced after a restart or a crash."})
final class DrainCommand implements Callable<Integer> {

    @Mixin
    private DaemonRequest daemon;

    @ArgGroup(multiplicity = "1")
    private Which which;

    /** Named services, or all. */
    static final class Which {
        @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "The services to drain.")
        List<String> services;

        @Option(names = "--all", required = true, description = "Drain every service.")
        boolean all;
    }

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationOption.class,
            description = "End the drain by itself after this long (e.g. 30m, 2h, 90s). Default: until resumed.")
    private Duration duration;

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "Why, for status and logs.")
    private String reason;

    @Override
    public Integer call() throws ControlException {
        ObjectNode request = ControlProtocol.JSON.createObjectNode().put("command", "drain").put("reason", reason);
        names(request, which.all, which.services);
        if (duration != null) {
            request.put("for_ms", duration.toMillis());
        }
        daemon.send(request, StatusCommand.LIMIT, answer -> {
            StringBuilder text = new StringBuilder();
            for (JsonNode drained : answer.path("drained")) {
                text.append("Drained service \"").append(drained.path("service").asText()).append('"')
                        .append(drained.path("until").isNull() ? " until resumed"
                                : " until " + drained.path("until").asText())
                        .append(drained.path("reason").asText().isEmpty() ? "" : ": " + drained.path("reason").asText())
                        .append(".\n");
            }
            return text.toString();
        });
        return ExitCodes.OK;
    }

    /** Puts the services a command names, or {@code "all": true}, into {@code request}. */
    static void names(ObjectNode request, boolean all, List<String> services) {
        if (all) {
            request.put("all", true);
        } else {
            ArrayNode array = request.putArray("services");
            services.forEach(array::add);
        }
    }
}
