/**
 * Health checks that run in the daemon itself, for the fastest reaction: {@code tcp} (a
 * connection is accepted), {@code http} (a URL answers as expected) and {@code exec} (a command
 * exits 0). The public types are their providers, found by {@link java.util.ServiceLoader}; the
 * checks they build are used through core's {@link dev.anycastd.core.check.HealthCheck}.
 *
 * <p>Who owns what: each provider validates its options (the ones every type shares through
 * {@code CheckBasics}) and owns what its checks share: the {@code tcp} provider one
 * asynchronous channel group (one thread), the {@code http} provider one HTTP client per trust
 * setting. Each check runs through {@code checkAsync()}, so a run that waits for a connection,
 * an answer or a process holds no worker of the runtime, and logs its outcome when it changes
 * ({@code CheckOutcomes}).
 */
package dev.anycastd.checks;
