package dev.anycastd.core.runtime;

import dev.anycastd.core.prefix.PrefixRecord;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Port: what must outlive the process, kept by the program that runs the runtime (the daemon
 * keeps it in files in its state directory). Today that is the set of prefixes anycastd may
 * have announced, so that a run after a crash withdraws those its configuration no longer names,
 * and the operator's drains, so that a drained service is not announced after a restart or crash.
 *
 * <p>The drain methods are defaults for stores written before drains existed: such a store
 * keeps no drain, and a drain then lasts only as long as the process.
 *
 * <p>The runtime calls it from its threads, one call at a time.
 */
public interface StateStore {

    /**
     * The prefixes recorded as possibly announced, by this process or an earlier one that may
     * have crashed; empty when nothing was ever recorded.
     *
     * @throws IOException when a record exists but cannot be read
     */
    Set<PrefixRecord> announced() throws IOException;

    /**
     * Replaces the record of possibly announced prefixes. It must be durable when this returns:
     * the runtime calls it before it announces, so that a crash between the two errs towards
     * withdrawing.
     *
     * @throws IOException when the record cannot be written
     */
    void recordAnnounced(Set<PrefixRecord> prefixes) throws IOException;

    /**
     * The drains recorded, by service name; empty when none was ever recorded.
     *
     * @throws IOException when a record exists but cannot be read
     */
    default Map<String, Drain> drains() throws IOException {
        return Map.of();
    }

    /**
     * Replaces the record of drains. It must be durable when this returns: the runtime calls it
     * before it applies a drain or a resume.
     *
     * @throws IOException when the record cannot be written
     */
    default void recordDrains(Map<String, Drain> drains) throws IOException {
        // A store without drains forgets them: they last as long as the process.
    }
}
