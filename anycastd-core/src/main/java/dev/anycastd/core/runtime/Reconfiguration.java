package dev.anycastd.core.runtime;

import java.util.List;

/**
 * What {@link AnycastRuntime#reconfigure} did, by service name, each list in configuration order.
 *
 * @param added services that are new: started as at start-up
 * @param removed services that are gone: their prefixes withdrawn
 * @param changed services defined differently: the old one stopped and the new one started, in one step
 * @param unchanged services defined the same: left running untouched
 */
public record Reconfiguration(List<String> added, List<String> removed, List<String> changed, List<String> unchanged) {

    /** Copies the lists. */
    public Reconfiguration {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        unchanged = List.copyOf(unchanged);
    }
}
