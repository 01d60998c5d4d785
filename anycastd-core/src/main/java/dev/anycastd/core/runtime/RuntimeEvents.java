package dev.anycastd.core.runtime;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each event to every {@link RuntimeListener}, shielding the runtime from them: a listener
 * that throws is logged (at warn the first time, then at debug, so a broken listener cannot flood
 * the log) and the others are still told. Thread-safe; the list is fixed at construction.
 */
final class RuntimeEvents {

    private static final Logger log = LoggerFactory.getLogger(RuntimeEvents.class);

    private final List<RuntimeListener> listeners;
    /** Listeners whose failure was already logged at warn. */
    private final Set<RuntimeListener> failed = ConcurrentHashMap.newKeySet();

    RuntimeEvents(List<RuntimeListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Whether anyone listens: lets callers skip building an event nobody reads. */
    boolean any() {
        return !listeners.isEmpty();
    }

    void publish(RuntimeEvent event) {
        for (RuntimeListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                var entry = failed.add(listener) ? log.atWarn() : log.atDebug();
                entry.setCause(e).addKeyValue("listener", listener.getClass().getName())
                        .addKeyValue("event", event.getClass().getSimpleName())
                        .log("A runtime listener failed on {}; the runtime goes on: {}", event.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
