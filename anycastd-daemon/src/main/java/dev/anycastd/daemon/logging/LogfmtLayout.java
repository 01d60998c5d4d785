package dev.anycastd.daemon.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.util.Collection;
import java.util.stream.Collectors;
import org.slf4j.event.KeyValuePair;

/**
 * One line of {@code key=value} pairs: {@code timestamp}, {@code level}, {@code logger},
 * {@code message}, each key-value, then {@code exception} when there is one. Values with
 * spaces, quotes, {@code =} or control characters are quoted with backslash escapes; lists are
 * joined with commas ({@code prefixes=203.0.113.53/32,2001:db8::53/128}).
 */
final class LogfmtLayout extends LayoutBase<ILoggingEvent> {

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(200);
        pair(line, "timestamp", LogLine.timestamp(event));
        pair(line, "level", LogLine.level(event));
        pair(line, "logger", event.getLoggerName());
        pair(line, "message", event.getFormattedMessage());
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                pair(line, pair.key, text(pair.value));
            }
        }
        String exception = LogLine.exception(event);
        if (exception != null) {
            pair(line, "exception", exception);
        }
        return line.append(CoreConstants.LINE_SEPARATOR).toString();
    }

    private static String text(Object value) {
        if (value instanceof Collection<?> items) {
            return items.stream().map(LogLine::text).collect(Collectors.joining(","));
        }
        return LogLine.text(value);
    }

    private static void pair(StringBuilder line, String key, String value) {
        if (line.length() > 0) {
            line.append(' ');
        }
        line.append(key.replaceAll("[^A-Za-z0-9_.\\-]", "_")).append('=');
        if (!value.isEmpty() && value.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\')) {
            line.append(value);
            return;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < ' ') {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }
}
