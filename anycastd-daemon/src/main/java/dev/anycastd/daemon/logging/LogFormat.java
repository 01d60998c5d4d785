package dev.anycastd.daemon.logging;

import java.util.Locale;

/** How log lines are written, as the original anycastd names them. */
public enum LogFormat {
    /** For people: timestamp, level, message, then key=value pairs; coloured on a terminal. */
    HUMAN,
    /** One JSON object per line, each key-value a field. */
    JSON,
    /** One line of key=value pairs. */
    LOGFMT;

    /** The lower-case name used on the command line and in help. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
