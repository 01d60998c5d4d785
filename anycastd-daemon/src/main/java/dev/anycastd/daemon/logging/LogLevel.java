package dev.anycastd.daemon.logging;

import ch.qos.logback.classic.Level;
import java.util.Locale;

/** The least severe level that is logged, as the original anycastd names them. */
public enum LogLevel {
    DEBUG(Level.DEBUG),
    INFO(Level.INFO),
    WARNING(Level.WARN),
    ERROR(Level.ERROR);

    private final Level level;

    LogLevel(Level level) {
        this.level = level;
    }

    Level logback() {
        return level;
    }

    /** The name of a logback level in log lines: {@code debug}, {@code info}, {@code warning}, {@code error}. */
    static String nameOf(Level level) {
        return level.toInt() >= Level.ERROR_INT ? "error"
                : level.toInt() >= Level.WARN_INT ? "warning"
                : level.toInt() >= Level.INFO_INT ? "info"
                : "debug";
    }

    /** The lower-case name used on the command line and in help. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
