package dev.anycastd.daemon;

/**
 * The control socket could not be used: by {@code anycastd run} to listen, or by a command that
 * talks to the running daemon. Its message is one sentence for the operator; its kind decides the
 * exit code.
 */
final class ControlException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, one kind per exit code and hint. */
    enum Kind {
        /** Nothing listens on the socket: the daemon is not running (69). */
        NOT_RUNNING,
        /** The socket exists but this user may not connect (77). */
        NO_PERMISSION,
        /** The daemon refused the request, e.g. an unknown service (64). */
        REFUSED,
        /** The daemon's answer is not the protocol this command speaks, or it did not answer in time (76). */
        PROTOCOL,
        /** reload: the configuration is not valid TOML or not a valid configuration (65). */
        INVALID_CONFIGURATION,
        /** reload: the configuration file does not exist (66). */
        MISSING_CONFIGURATION,
        /** reload: the configuration file cannot be read (74). */
        UNREADABLE_CONFIGURATION,
        /** reload: plugins cannot be loaded, or the routing daemon cannot carry a prefix (78). */
        UNUSABLE_CONFIGURATION,
        /** The daemon failed to carry out the request (70). */
        FAILED,
        /** Another anycastd listens on the socket already (73). */
        IN_USE,
        /** The socket cannot be created (73). */
        CANNOT_CREATE
    }

    private final Kind kind;

    ControlException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    ControlException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
