package dev.anycastd.daemon.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.Layout;
import java.io.PrintWriter;

/**
 * Writes each event as one layout result to the command's writer and flushes, so logs go
 * where the command line's output goes (standard output, or a test's writer).
 * {@link AppenderBase#doAppend} serialises calls.
 */
final class WriterAppender extends AppenderBase<ILoggingEvent> {

    private final PrintWriter out;
    private final Layout<ILoggingEvent> layout;

    WriterAppender(PrintWriter out, Layout<ILoggingEvent> layout) {
        this.out = out;
        this.layout = layout;
    }

    @Override
    protected void append(ILoggingEvent event) {
        out.print(layout.doLayout(event));
        out.flush();
    }
}
