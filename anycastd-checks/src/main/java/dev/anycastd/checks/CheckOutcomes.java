package dev.anycastd.checks;

import dev.anycastd.core.check.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a check's outcome when it changes (healthy, unhealthy or unknown, or another reason), not
 * at every run: a check at 100 ms would otherwise write ten lines a second. Runs of one check
 * never overlap, so one instance per check is used by one run at a time; the latest outcome is
 * volatile only because runs end on different threads.
 */
final class CheckOutcomes {

    private static final Logger log = LoggerFactory.getLogger(CheckOutcomes.class);

    private final String describe;
    private final String check;
    private volatile Health latest;

    CheckOutcomes(String check, String describe) {
        this.check = check;
        this.describe = describe;
    }

    /** Logs {@code health} if it differs from the latest, with {@code output} (a command's) when not empty. */
    void record(Health health, String output) {
        Health previous = latest;
        latest = health;
        if (health.equals(previous)) {
            return;
        }
        var event = (health instanceof Health.Healthy ? log.atInfo() : log.atWarn())
                .addKeyValue("check", check).addKeyValue("health", health.describe());
        if (output.isEmpty()) {
            event.log("Check {} is now {}.", describe, health.describe());
        } else {
            event.addKeyValue("output", output).log("Check {} is now {}; its output: {}", describe, health.describe(), output);
        }
    }
}
