package dev.anycastd.core.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the last reconcile found: the runtime compares what the routing daemons have with what
 * they should have at every reconcile interval.
 *
 * @param at when it ended
 * @param read how many prefixes it read
 * @param unreadable how many prefixes it could not read
 * @param repaired the prefixes it found drifted and set out to repair, as logs name them
 */
public record ReconcileOutcome(Instant at, int read, int unreadable, List<String> repaired) {

    /** Copies the list. */
    public ReconcileOutcome {
        Objects.requireNonNull(at, "at");
        repaired = List.copyOf(repaired);
    }

    /** Whether every prefix was read and found as it should be. */
    public boolean clean() {
        return unreadable == 0 && repaired.isEmpty();
    }
}
