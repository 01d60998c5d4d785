package dev.anycastd.daemon.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.stream.Collectors;

/** What every log format takes from an event, formatted the same way. */
final class LogLine {

    /** ISO 8601 in UTC with microseconds, as the original's timestamps: {@code 2024-03-25T15:17:23.783539Z}. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private LogLine() {
    }

    static String timestamp(ILoggingEvent event) {
        return TIMESTAMP.format(event.getInstant());
    }

    static String level(ILoggingEvent event) {
        return LogLevel.nameOf(event.getLevel());
    }

    /** The stack trace of the event's exception, or {@code null}. */
    static String exception(ILoggingEvent event) {
        IThrowableProxy proxy = event.getThrowableProxy();
        return proxy == null ? null : ThrowableProxyUtil.asString(proxy);
    }

    /** A key-value's value as text: lists as {@code [a, b]}, everything else by {@code toString()}. */
    static String text(Object value) {
        if (value instanceof Collection<?> items) {
            return items.stream().map(LogLine::text).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(value);
    }
}
