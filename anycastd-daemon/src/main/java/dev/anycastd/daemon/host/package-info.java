/**
 * The host itself as a health check: whether an address is configured on a local interface
 * (check type {@code address}, used by {@code require-local}).
 */
package dev.anycastd.daemon.host;
