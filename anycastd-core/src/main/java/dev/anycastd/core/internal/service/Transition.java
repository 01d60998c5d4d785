package dev.anycastd.core.internal.service;

import dev.anycastd.core.service.TransitionCause;

/**
 * The outcome of one event: the new state, whether the prefixes should be announced now (a
 * level, to compare with what the routing daemon really has) and, when that changed, why.
 *
 * @param state the new state
 * @param announce whether the service's prefixes should be announced
 * @param changed whether {@code announce} differs from before the event
 * @param reason why the service is (not) healthy now, for logs: {@code "all checks healthy"},
 *     {@code "check dns: unhealthy: timeout"}, {@code "drained"}, ...
 * @param cause the same as a small closed set, for metrics
 */
public record Transition(ServiceState state, boolean announce, boolean changed, String reason, TransitionCause cause) {
}
