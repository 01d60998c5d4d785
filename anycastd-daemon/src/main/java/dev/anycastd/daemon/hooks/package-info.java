/**
 * The {@code on-change} hooks: programs run when a service's change of state has reached the
 * routing daemon, off the routing path, one at a time per service, killed at their timeout.
 */
package dev.anycastd.daemon.hooks;
