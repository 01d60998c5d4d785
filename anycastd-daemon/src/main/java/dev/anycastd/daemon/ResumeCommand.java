package dev.anycastd.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code anycastd resume}: ends drains; each service is announced again once its checks pass. */
@Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = "End the drain of services: each is announced again as soon as its checks pass.")
final class ResumeCommand implements Callable<Integer> {

    @Mixin
    private DaemonRequest daemon;

    @ArgGroup(multiplicity = "1")
    private Which which;

    /** Named services, or all. */
    static final class Which {
        @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "The services to resume.")
        List<String> services;

        @Option(names = "--all", required = true, description = "Resume every service.")
        boolean all;
    }

    @Override
    public Integer call() throws ControlException {
        ObjectNode request = ControlProtocol.JSON.createObjectNode().put("command", "resume");
        DrainCommand.names(request, which.all, which.services);
        daemon.send(request, StatusCommand.LIMIT, answer -> {
            StringBuilder text = new StringBuilder();
            for (JsonNode resumed : answer.path("resumed")) {
                text.append("Resumed service \"").append(resumed.asText())
                        .append("\": it is announced again once its checks pass.\n");
            }
            return text.toString();
        });
        return ExitCodes.OK;
    }
}
