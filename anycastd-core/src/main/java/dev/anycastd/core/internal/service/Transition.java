package dev.anycastd.core.internal.service;

import dev.anycastd.core.service.TransitionCause;

/**
 * The outcome of one event: the new state, whether the prefixes should be announced now (a
 * level, to compare with what the routing daemon really has) and, when that changed, why.
 *
 * @param state the new state
 * @param form how the service's prefixes should be at the routing daemon now
 * @param changed whether {@code form} differs from before the event
 * @param reason why the service is (not) healthy now, for logs: {@code "all checks healthy"},
 *     {@code "check dns: unhealthy: timeout"}, {@code "drained"}, ...
 * @param cause the same as a small closed set, for metrics
 */
public record Transition(ServiceState state, Form form, boolean changed, String reason, TransitionCause cause) {

    /** Whether the prefixes should be announced as configured: the service is healthy, not drained, not stopping. */
    public boolean announce() {
        return form == Form.NORMAL;
    }
}
