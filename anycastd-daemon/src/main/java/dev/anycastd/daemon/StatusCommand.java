package dev.anycastd.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code anycastd status}: what the running daemon knows of each service; exits 1 when one is not as wanted. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = {"Show each service of the running daemon: its state, since when and why, its prefixes at the router,"
                + " each check's last result, and the last reconcile.",
            "Exits 0 when every service is announced or drained as wanted, 1 when one is withdrawn, starting, or being"
                + " retried; usable as a monitoring check."})
final class StatusCommand implements Callable<Integer> {

    static final Duration LIMIT = Duration.ofSeconds(10);

    @Mixin
    private DaemonRequest daemon;

    @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "Only this service.")
    private String service;

    @Override
    public Integer call() throws ControlException {
        ObjectNode request = ControlProtocol.JSON.createObjectNode().put("command", "status");
        if (service != null) {
            request.putArray("services").add(service);
        }
        JsonNode answer = daemon.send(request, LIMIT, StatusTable::of);
        boolean asWanted = answer.path("services").findValues("as_wanted").stream().allMatch(JsonNode::asBoolean);
        return asWanted ? ExitCodes.OK : ExitCodes.NOT_AS_WANTED;
    }
}
