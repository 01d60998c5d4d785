package dev.anycastd.core.prefix;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a later run of anycastd can build a prefix again, to withdraw it after it left the
 * configuration (a crash, a reload): the type of its provider and the options that provider's
 * {@code create} accepts. Values are text, as in a configuration's short form.
 *
 * @param type the provider type, e.g. {@code frrouting}
 * @param options the options that build the same prefix, in the same routing daemon
 */
public record PrefixRecord(String type, Map<String, String> options) {

    /** Copies the options, sorted by key so that equal records print alike. */
    public PrefixRecord {
        Objects.requireNonNull(type, "type");
        options = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(options, "options")));
    }
}
