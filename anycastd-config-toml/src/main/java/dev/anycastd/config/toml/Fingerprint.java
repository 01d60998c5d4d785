package dev.anycastd.config.toml;

import java.util.TreeSet;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * A service's table in a canonical text: keys sorted at every level, values tagged with their
 * type, comments and layout gone. Two tables that mean the same have the same fingerprint, so a
 * reload can keep such a service running untouched.
 */
final class Fingerprint {

    private Fingerprint() {
    }

    static String of(TomlTable table) {
        StringBuilder text = new StringBuilder();
        append(text, table);
        return text.toString();
    }

    private static void append(StringBuilder text, Object value) {
        if (value instanceof TomlTable table) {
            text.append('{');
            for (String key : new TreeSet<>(table.keySet())) {
                appendString(text, key);
                text.append(':');
                append(text, table.get(java.util.List.of(key)));
                text.append(',');
            }
            text.append('}');
        } else if (value instanceof TomlArray array) {
            text.append('[');
            for (int i = 0; i < array.size(); i++) {
                append(text, array.get(i));
                text.append(',');
            }
            text.append(']');
        } else if (value instanceof String string) {
            appendString(text, string);
        } else {
            // Numbers, booleans, dates and times: the type's name keeps 1 and 1.0 and "1" apart.
            text.append(value == null ? "null" : value.getClass().getSimpleName() + "(" + value + ")");
        }
    }

    private static void appendString(StringBuilder text, String string) {
        text.append('"').append(string.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
}
