package dev.anycastd.core.spi;

/**
 * How a receiver of pushed check results answered one request: a small closed set, so that
 * counting requests by outcome never makes a label out of what a client sent. A request is
 * counted once, when it is answered; a connection closed without an answer is not a request.
 */
public enum PushOutcome {
    /** Taken: its results were handed to the checks that use them (results of unused checks are ignored). */
    ACCEPTED,
    /** Refused for its credentials: the secret was missing or wrong. */
    UNAUTHORIZED,
    /** Refused: nothing receives pushes at its path. */
    UNKNOWN_PATH,
    /** Refused: a method other than the one results are pushed with. */
    METHOD_NOT_ALLOWED,
    /** Refused: a body of a type other than the one results are pushed as. */
    UNSUPPORTED_TYPE,
    /** Refused: its body is not a list of valid results. */
    BAD_BODY,
    /** Refused: its head or body is larger than the receiver takes. */
    TOO_LARGE,
    /** Refused: the request is not valid or not understood (framing, lengths, protocol version). */
    MALFORMED,
    /** Refused: it did not arrive in full in time. */
    TIMED_OUT,
    /** Refused for now: too many pushes were waiting to be delivered; the checks are polled meanwhile. */
    BUSY,
    /** The receiver failed to handle it: a bug or a failure of its own, not the client's. */
    FAILED
}
