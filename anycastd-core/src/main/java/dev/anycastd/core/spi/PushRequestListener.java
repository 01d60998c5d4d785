package dev.anycastd.core.spi;

/**
 * Told of every request a provider's receiver of pushed check results answers, by
 * {@link PushOutcome}. The daemon counts them as {@code anycastd_push_requests_total}; a
 * program embedding anycastd can pass its own to
 * {@link HealthCheckProvider#publishPushRequestsTo}.
 *
 * <p>Called from the receiver's threads, possibly several at once: an implementation must be
 * thread-safe and return quickly, since the request's answer waits for it.
 */
@FunctionalInterface
public interface PushRequestListener {

    /** Does nothing. */
    PushRequestListener NONE = outcome -> { };

    /** One request was answered with {@code outcome}. */
    void answered(PushOutcome outcome);
}
