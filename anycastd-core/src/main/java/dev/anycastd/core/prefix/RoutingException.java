package dev.anycastd.core.prefix;

/**
 * A routing daemon did not do what was asked, or could not be asked. The message carries the
 * facts an operator needs (for FRR: the command, exit code, output); adapters may subclass it
 * to expose them as fields.
 */
public class RoutingException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public RoutingException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public RoutingException(String message, Throwable cause) {
        super(message, cause);
    }
}
