/**
 * The plugin SPI: {@link dev.anycastd.core.spi.PrefixProvider} and
 * {@link dev.anycastd.core.spi.HealthCheckProvider}, found with {@link java.util.ServiceLoader}
 * and chosen by type name ({@link dev.anycastd.core.spi.Providers}), each building its ports
 * from a read-only {@link dev.anycastd.core.spi.Options} view of its configuration.
 *
 * <p>{@code Options} owns how configuration values are read (durations and their bounds, the
 * minimum interval) and how messages quote what the operator wrote
 * ({@link dev.anycastd.core.spi.Options#quote}, {@link dev.anycastd.core.spi.Options#pathSegment},
 * {@link dev.anycastd.core.spi.Options#describe}); providers and the configuration reader use
 * those instead of rules of their own.
 */
package dev.anycastd.core.spi;
