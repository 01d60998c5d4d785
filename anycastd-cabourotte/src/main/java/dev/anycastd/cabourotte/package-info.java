/**
 * The {@code cabourotte} check type: health checks read from
 * <a href="https://github.com/appclacks/cabourotte">Cabourotte</a>'s HTTP API, and optionally
 * received as its HTTP exporter pushes them. The only public
 * type is {@link dev.anycastd.cabourotte.CabourotteCheckProvider}, found by
 * {@link java.util.ServiceLoader}; the checks it builds are used through core's
 * {@link dev.anycastd.core.check.HealthCheck}.
 */
package dev.anycastd.cabourotte;
