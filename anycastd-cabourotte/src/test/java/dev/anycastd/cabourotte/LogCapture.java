package dev.anycastd.cabourotte;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/** Records every log event of a test, from every logger, for assertions on what was logged. */
final class LogCapture implements BeforeEachCallback, AfterEachCallback {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @Override
    public void beforeEach(ExtensionContext context) {
        appender.list.clear();
        appender.start();
        root().addAppender(appender);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        root().detachAppender(appender);
        appender.stop();
    }

    /** The events so far, oldest first. */
    List<ILoggingEvent> events() {
        synchronized (appender) { // AppenderBase appends under this lock
            return List.copyOf(appender.list);
        }
    }

    /** The events of {@code type}'s logger. */
    List<ILoggingEvent> eventsOf(Class<?> type) {
        return events().stream().filter(event -> event.getLoggerName().equals(type.getName())).toList();
    }

    /** Each event as one line: level, message and key-values, for searching. */
    List<String> lines() {
        return events().stream()
                .map(event -> event.getLevel() + " " + event.getFormattedMessage() + " " + event.getKeyValuePairs())
                .toList();
    }

    /** The value of {@code key} in {@code event}, or null. */
    static Object value(ILoggingEvent event, String key) {
        if (event.getKeyValuePairs() == null) {
            return null;
        }
        return event.getKeyValuePairs().stream().filter(pair -> pair.key.equals(key)).map(pair -> pair.value).findFirst().orElse(null);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
