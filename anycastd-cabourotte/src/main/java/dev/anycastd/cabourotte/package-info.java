/**
 * The {@code cabourotte} check type: health checks read from
 * <a href="https://github.com/appclacks/cabourotte">Cabourotte</a>'s HTTP API, and optionally
 * received as its HTTP exporter pushes them. The only public
 * type is {@link dev.anycastd.cabourotte.CabourotteCheckProvider}, found by
 * {@link java.util.ServiceLoader}; the checks it builds are used through core's
 * {@link dev.anycastd.core.check.HealthCheck}.
 *
 * <p>Who owns what: the provider validates options and shares one {@code CabourotteClient} (HTTP,
 * TLS trust) and one {@code ResultList} (the shared {@code GET /result}) per Cabourotte, and one
 * {@code PushReceiver} per listen address; {@code CabourotteResult} is the one parser of result
 * bodies; {@code CabourotteCheck} judges a result (freshness, order, clock) and logs its outcome
 * changes.
 */
package dev.anycastd.cabourotte;
