package dev.anycastd.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code anycastd resume}: ends drains; each service is announced again once its checks pass. */
@Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = "End the drain of services: each is announced again as soon as its checks pass.")
final class ResumeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ControlOptions control;

    @ArgGroup(multiplicity = "1")
    private Which which;

    /** Named services, or all. */
    static final class Which {
        @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "The services to resume.")
        List<String> services;

        @Option(names = "--all", required = true, description = "Resume every service.")
        boolean all;
    }

    @Option(names = "--json", description = "Print the daemon's answer as JSON (docs/CONTROL.md).")
    private boolean json;

    @Override
    public Integer call() throws ControlException {
        ObjectNode request = ControlProtocol.JSON.createObjectNode().put("command", "resume");
        DrainCommand.names(request, which.all, which.services);
        JsonNode answer = ControlClient.request(control.controlSocket, request, StatusCommand.LIMIT);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(answer);
        } else {
            for (JsonNode resumed : answer.path("resumed")) {
                out.println("Resumed service \"" + resumed.asText() + "\": it is announced again once its checks pass.");
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
