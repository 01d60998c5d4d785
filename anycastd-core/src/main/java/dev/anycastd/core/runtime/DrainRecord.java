package dev.anycastd.core.runtime;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the drains kept in a {@link StateStore}: written before a drain or resume is
 * applied, so that a drained service stays drained across a restart or a crash. Without a store,
 * drains last as long as the process.
 *
 * <p>Thread-safe: every method holds {@code this}, so the store sees one call at a time.
 */
final class DrainRecord {

    private static final Logger log = LoggerFactory.getLogger(DrainRecord.class);

    private final StateStore store;
    /** Guarded by {@code this}: the drains as last written, by service. */
    private final Map<String, Drain> drains = new LinkedHashMap<>();

    /**
     * @param store the store, or {@code null} to keep drains in memory only
     */
    DrainRecord(StateStore store) {
        this.store = store;
    }

    /** The drains an earlier run recorded; empty without a store or, after an error is logged, when they cannot be read. */
    synchronized Map<String, Drain> load() {
        if (store == null) {
            return Map.of();
        }
        try {
            drains.clear();
            drains.putAll(store.drains());
            return Map.copyOf(drains);
        } catch (IOException | RuntimeException e) {
            log.atError().addKeyValue("error", e.toString())
                    .log("Could not read which services are drained ({}); no service is drained at start-up.", e.toString());
            return Map.of();
        }
    }

    /** The drain of {@code service}, if recorded. */
    synchronized java.util.Optional<Drain> current(String service) {
        return java.util.Optional.ofNullable(drains.get(service));
    }

    /** Records a drain; returns whether the store has it (always true without a store). */
    synchronized boolean put(String service, Drain drain) {
        drains.put(service, drain);
        return write("drain of service \"" + service + "\"");
    }

    /** Forgets the drain of {@code service}; returns whether there was one. */
    synchronized boolean remove(String service) {
        if (drains.remove(service) == null) {
            return false;
        }
        write("end of the drain of service \"" + service + "\"");
        return true;
    }

    private boolean write(String what) {
        if (store == null) {
            return true;
        }
        try {
            store.recordDrains(Map.copyOf(drains));
            return true;
        } catch (IOException | RuntimeException e) {
            log.atError().addKeyValue("error", e.toString())
                    .log("Could not record the {} ({}); it applies now, but a restart would not know of it.", what, e.toString());
            return false;
        }
    }
}
