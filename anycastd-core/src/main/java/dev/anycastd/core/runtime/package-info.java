/**
 * The runtime: {@link dev.anycastd.core.runtime.AnycastRuntime} runs services, each check at its
 * interval, and applies what the service state machine wants to the prefixes.
 *
 * <p>Who owns what, so that each rule is found in one place:
 * <ul>
 *   <li>{@code CheckRunner}: running one check at its interval, cut at its timeout, and passing
 *       its results (polled or pushed) to its service.</li>
 *   <li>{@code ServiceRunner}: one service's state machine; it hands {@code Convergence} what it
 *       wants and is asked nothing back.</li>
 *   <li>{@code Convergence}: batching (changes of many services that happen together share one
 *       call per routing daemon) and retries with each service's backoff.</li>
 *   <li>{@code PrefixOperations}: every call to a routing daemon, each bounded by the operation
 *       timeout ({@code TimeLimit}), with the one-by-one fallback of a failed batch; it tells the
 *       {@code AnnouncementRecord} (the state store's record of what may be announced) of every
 *       announcement and withdrawal, and the runtime when a failing routing daemon answers again.</li>
 *   <li>{@code AnycastRuntime}: start-up (withdrawing configured prefixes and an earlier run's
 *       leftovers), the reconcile, and shutdown.</li>
 * </ul>
 */
package dev.anycastd.core.runtime;
