/**
 * The daemon's logging backend: logback set up in code, the human, json and logfmt layouts and
 * the appender that writes to the command line's writer. The commands choose a format and a
 * level through {@link dev.anycastd.daemon.logging.Logging}; everything else logs through SLF4J
 * and never sees this package.
 */
package dev.anycastd.daemon.logging;
