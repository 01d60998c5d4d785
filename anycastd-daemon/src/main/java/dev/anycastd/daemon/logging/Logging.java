package dev.anycastd.daemon.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.LayoutBase;
import java.io.PrintWriter;
import org.slf4j.LoggerFactory;

/** Sets up logback in code, replacing whatever configuration it had. */
public final class Logging {

    private Logging() {
    }

    /** From now on, events at {@code level} and above are written to {@code out} in {@code format}. */
    public static void configure(LogFormat format, LogLevel level, boolean color, PrintWriter out) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Layout<ILoggingEvent> layout = start(layout(format, color), context);
        WriterAppender appender = new WriterAppender(out, layout);
        appender.setContext(context);
        appender.setName(format.toString());
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level.logback());
        root.addAppender(appender);
    }

    static LayoutBase<ILoggingEvent> layout(LogFormat format, boolean color) {
        return switch (format) {
            case HUMAN -> new HumanLayout(color);
            case JSON -> new JsonLayout();
            case LOGFMT -> new LogfmtLayout();
        };
    }

    private static Layout<ILoggingEvent> start(LayoutBase<ILoggingEvent> layout, LoggerContext context) {
        layout.setContext(context);
        layout.start();
        return layout;
    }
}
