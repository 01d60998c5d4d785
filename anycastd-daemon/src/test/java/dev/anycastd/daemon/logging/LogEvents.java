package dev.anycastd.daemon.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import org.slf4j.event.KeyValuePair;

/** Logging events as the SLF4J fluent API makes them, at a fixed instant. */
final class LogEvents {

    static final Instant AT = Instant.parse("2024-03-25T15:17:23.783539Z");

    private LogEvents() {
    }

    static LoggingEvent event(Level level, String message, Throwable error, Object... keyValues) {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent(LogEvents.class.getName(), context.getLogger("dev.anycastd.daemon.RunCommand"),
                level, message, error, null);
        event.setInstant(AT);
        for (int i = 0; i < keyValues.length; i += 2) {
            event.addKeyValuePair(new KeyValuePair((String) keyValues[i], keyValues[i + 1]));
        }
        return event;
    }
}
