package dev.anycastd.cabourotte;

import java.net.URI;
import java.util.Objects;

/** A read of Cabourotte that produced no HTTP answer: what went wrong, and where. */
final class CabourotteException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What kind of failure; each kind is one outcome for logging. */
    enum Kind {
        /** No connection could be made (refused, no route, unknown host). */
        UNREACHABLE,
        /** No complete answer within the timeout. */
        TIMED_OUT,
        /** The body was larger than {@link CabourotteClient#MAX_BODY_BYTES}. */
        TOO_LARGE,
        /** Any other failure of the exchange (TLS, reset connection, malformed HTTP). */
        FAILED
    }

    private final Kind kind;
    private final URI uri;

    CabourotteException(Kind kind, URI uri, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.uri = Objects.requireNonNull(uri, "uri");
    }

    Kind kind() {
        return kind;
    }

    /** The URL that was requested; it never carries credentials. */
    URI uri() {
        return uri;
    }
}
