/**
 * Not API: the pure service state machine, (state, event, time) to a transition, which the
 * runtime drives. Its types are public only because the runtime lives in another package; they
 * change with each policy feature, and ArchUnit keeps every module but core away from them.
 * Embedders who want to see how a policy behaves run an {@code AnycastRuntime} with the
 * testkit's fakes instead.
 */
package dev.anycastd.core.internal.service;
