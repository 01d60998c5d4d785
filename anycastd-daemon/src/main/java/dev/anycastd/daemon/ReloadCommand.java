package dev.anycastd.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code anycastd reload}: the running daemon reads its configuration again and applies only the difference. */
@Command(name = "reload", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = {"Make the running daemon read its configuration file again (as SIGHUP does) and apply only the"
                + " difference: unchanged services keep running untouched, removed ones are withdrawn, new ones start,"
                + " changed ones are replaced.",
            "On any error the daemon keeps the configuration it runs, and this command prints the errors as check-config"
                + " would, with its exit codes."})
final class ReloadCommand implements Callable<Integer> {

    /** Reading, verifying and withdrawing removed prefixes may take a few routing-daemon calls. */
    static final Duration LIMIT = Duration.ofSeconds(60);

    @Mixin
    private DaemonRequest daemon;

    @Override
    public Integer call() throws ControlException {
        daemon.send(ControlProtocol.JSON.createObjectNode().put("command", "reload"), LIMIT, answer -> {
            List<String> parts = new ArrayList<>();
            for (String change : List.of("added", "removed", "changed", "unchanged")) {
                List<String> names = new ArrayList<>();
                answer.path(change).forEach(name -> names.add(name.asText()));
                if (!names.isEmpty()) {
                    parts.add(change + " " + String.join(", ", names));
                }
            }
            List<String> restartNeeded = new ArrayList<>();
            answer.path("restart_needed").forEach(name -> restartNeeded.add(name.asText()));
            return "Reloaded the configuration" + (parts.isEmpty() ? "." : ": " + String.join("; ", parts) + ".") + "\n"
                    + (restartNeeded.isEmpty() ? "" : "Not applied until anycastd restarts: " + String.join(", ", restartNeeded)
                            + ".\n");
        });
        return ExitCodes.OK;
    }
}
