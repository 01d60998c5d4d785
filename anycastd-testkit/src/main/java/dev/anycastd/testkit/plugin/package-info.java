/**
 * Fake providers for tests of the packaged program, where a test cannot reach into the
 * process: a routing daemon and a health check whose state lives in files, so a test can
 * see what the daemon announced and make a check fail from outside. Deliberately not
 * registered in {@code META-INF/services} here, so they never appear among the providers of
 * a class path by accident; a test packs them into a plugin jar with its own registration.
 */
package dev.anycastd.testkit.plugin;
