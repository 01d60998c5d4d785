package dev.anycastd.daemon.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import org.slf4j.event.KeyValuePair;

/**
 * Log lines for people, like the original's console output:
 * {@code 2024-03-25T15:17:23.783539Z [info     ] Reading configuration from /etc/anycastd/config.toml. config_path=/etc/anycastd/config.toml}.
 * The message is padded to 30 characters so that short messages' key-values line up.
 */
final class HumanLayout extends LayoutBase<ILoggingEvent> {

    private static final int MESSAGE_WIDTH = 30;
    private static final String RESET = "\u001b[0m";
    private static final String DIM = "\u001b[2m";
    private static final String BOLD = "\u001b[1m";
    private static final String CYAN = "\u001b[36m";
    private static final String MAGENTA = "\u001b[35m";

    private final boolean color;

    HumanLayout(boolean color) {
        this.color = color;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160);
        paint(line, DIM, LogLine.timestamp(event));
        line.append(" [");
        paint(line, levelColor(LogLine.level(event)), String.format("%-9s", LogLine.level(event)));
        line.append("] ");
        String message = event.getFormattedMessage();
        paint(line, BOLD, message);
        if (event.getKeyValuePairs() != null && !event.getKeyValuePairs().isEmpty()) {
            line.append(" ".repeat(Math.max(1, MESSAGE_WIDTH - message.length() + 1)));
            String separator = "";
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                line.append(separator);
                paint(line, CYAN, pair.key);
                line.append('=');
                paint(line, MAGENTA, LogLine.text(pair.value));
                separator = " ";
            }
        }
        line.append(CoreConstants.LINE_SEPARATOR);
        String exception = LogLine.exception(event);
        if (exception != null) {
            line.append(exception);
        }
        return line.toString();
    }

    private void paint(StringBuilder line, String ansi, String text) {
        if (color) {
            line.append(ansi).append(text).append(RESET);
        } else {
            line.append(text);
        }
    }

    private static String levelColor(String level) {
        return switch (level) {
            case "error" -> "\u001b[31;1m";
            case "warning" -> "\u001b[33m";
            case "info" -> "\u001b[32m";
            default -> "\u001b[34m";
        };
    }
}
