package dev.anycastd.core.runtime;

import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.PrefixRecord;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of what anycastd may have announced, kept in a {@link StateStore}: a prefix is
 * added before it is announced and removed once it is withdrawn. Prefixes that cannot describe
 * themselves ({@link Prefix#record()} empty) are not recorded. A store that fails is logged when
 * that starts and ends; the runtime goes on announcing, since the record only matters after a
 * crash.
 *
 * <p>Thread-safe: every method holds {@code this}, so the store sees one call at a time.
 */
final class AnnouncementRecord {

    private static final Logger log = LoggerFactory.getLogger(AnnouncementRecord.class);

    private final StateStore store;
    /** Guarded by {@code this}: what may be announced now, as last written to the store. */
    private final Set<PrefixRecord> announced;
    /** Guarded by {@code this}: whether the last write failed, so its recovery is logged. */
    private boolean failing;

    /**
     * @param store the store, or {@code null} to record nothing
     */
    AnnouncementRecord(StateStore store) {
        this.store = store;
        this.announced = new LinkedHashSet<>();
    }

    /**
     * What the store holds from before this runtime started, kept as possibly announced until
     * withdrawn or {@linkplain #forget forgotten}; empty without a store or when it cannot be read.
     */
    synchronized Set<PrefixRecord> loadEarlier() {
        if (store == null) {
            return Set.of();
        }
        try {
            Set<PrefixRecord> earlier = store.announced();
            announced.addAll(earlier);
            return Set.copyOf(earlier);
        } catch (IOException | RuntimeException e) {
            log.atWarn().addKeyValue("error", e.toString())
                    .log("Could not read which prefixes an earlier run announced ({}); only the configured prefixes are"
                            + " withdrawn at start.", e.toString());
            return Set.of();
        }
    }

    /** Records {@code prefixes} as possibly announced; returns once the store has it (or failed to). */
    synchronized void announcing(Collection<? extends Prefix> prefixes) {
        boolean changed = false;
        for (Prefix prefix : prefixes) {
            Optional<PrefixRecord> record = prefix.record();
            changed |= record.isPresent() && announced.add(record.get());
        }
        if (changed) {
            write();
        }
    }

    /** Forgets {@code prefixes}: they were withdrawn. */
    synchronized void withdrawn(Collection<? extends Prefix> prefixes) {
        boolean changed = false;
        for (Prefix prefix : prefixes) {
            Optional<PrefixRecord> record = prefix.record();
            changed |= record.isPresent() && announced.remove(record.get());
        }
        if (changed) {
            write();
        }
    }

    /** Forgets records that are no longer announced (leftovers withdrawn at start). */
    synchronized void forget(Collection<PrefixRecord> records) {
        if (announced.removeAll(records)) {
            write();
        }
    }

    private void write() {
        if (store == null) {
            return;
        }
        try {
            store.recordAnnounced(Set.copyOf(announced));
            if (failing) {
                failing = false;
                log.atInfo().log("The record of announced prefixes is written again.");
            }
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                failing = true;
                log.atWarn().addKeyValue("error", e.toString())
                        .log("Could not record which prefixes are announced ({}); after a crash, prefixes removed from the"
                                + " configuration meanwhile would not be withdrawn.", e.toString());
            }
        }
    }
}
