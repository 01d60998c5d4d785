package dev.anycastd.daemon.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;

/**
 * Logback's configuration until a command sets its own: warnings and errors in the human
 * format on standard error. Found by logback through {@link java.util.ServiceLoader}, and it
 * stops logback there, so a {@code logback.xml} that a dependency or plugin carries is never read.
 * Not for use by anything but logback.
 */
public final class DefaultLogging extends ContextAwareBase implements Configurator {

    /** For {@link java.util.ServiceLoader}. */
    public DefaultLogging() {
        // nothing to set up before logback hands over its context
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        HumanLayout layout = new HumanLayout(false);
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("default");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
