package dev.anycastd.core.runtime;

import dev.anycastd.core.check.Health;
import java.util.Map;

/**
 * A snapshot of one service, for programs that embed the runtime and for status output.
 *
 * @param name the service's name
 * @param healthy the verdict after rise and fall
 * @param announce whether its prefixes should be announced now (healthy, not drained, not stopping)
 * @param drained whether the operator drained it
 * @param converged whether the routing daemon was last seen to match {@code announce}
 * @param reason why the service is (not) healthy, e.g. {@code "check dns: unhealthy: timeout"}
 * @param checks the latest result of each check that has one, by check name
 */
public record ServiceStatus(String name, boolean healthy, boolean announce, boolean drained, boolean converged,
        String reason, Map<String, Health> checks) {

    /** Copies the map. */
    public ServiceStatus {
        checks = Map.copyOf(checks);
    }
}
