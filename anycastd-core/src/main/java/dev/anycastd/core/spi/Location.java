package dev.anycastd.core.spi;

import java.nio.file.Path;

/**
 * Where something was written in a configuration file.
 *
 * @param file the file, or {@code null} when the configuration was built in code
 * @param line the line, from 1, or 0 when unknown
 * @param column the column, from 1, or 0 when unknown
 */
public record Location(Path file, int line, int column) {

    /** A location with no file, for configurations built in code. */
    public static final Location UNKNOWN = new Location(null, 0, 0);

    /** {@code file:line:column}, leaving out what is unknown; empty when nothing is known. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(file == null ? "" : file.toString());
        if (line > 0) {
            text.append(text.length() > 0 ? ":" : "line ").append(line);
            if (column > 0) {
                text.append(':').append(column);
            }
        }
        return text.toString();
    }
}
