package dev.anycastd.core.runtime;

import java.util.List;

/**
 * What {@link AnycastRuntime#shutdown} achieved.
 *
 * @param notWithdrawn the prefixes that may still be announced, each with its service and the
 *     reason ({@code "dns 203.0.113.53/32: vtysh exited 1: ..."}); empty when all were withdrawn
 */
public record ShutdownResult(List<String> notWithdrawn) {

    /** Copies the list. */
    public ShutdownResult {
        notWithdrawn = List.copyOf(notWithdrawn);
    }

    /** Whether every prefix was withdrawn. */
    public boolean clean() {
        return notWithdrawn.isEmpty();
    }
}
