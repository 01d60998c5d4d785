package dev.anycastd.daemon.metrics;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.runtime.RuntimeEvent;
import dev.anycastd.core.runtime.RuntimeListener;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.PushOutcome;
import dev.anycastd.core.spi.PushRequestListener;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The daemon's Prometheus metrics, fed by the runtime's events and served at {@code /metrics}
 * by the official Java client's HTTP server. Every label value comes from the configuration
 * (service, check and prefix names) or from a small closed set (states, causes, outcomes,
 * operations), never from request data, so the number of series is bounded by the
 * configuration. docs/METRICS.md lists every metric.
 *
 * <p>Thread-safe: the client's metrics are, and so is {@link ConfiguredSeries}, which holds the series of
 * services, prefixes and checks.
 */
public final class PrometheusMetrics implements RuntimeListener {

    private static final double[] ROUTER_SECONDS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter transitions;
    private final Histogram routerCallDuration;
    private final Counter routerCallErrors;
    private final Counter reconcileRuns;
    private final Counter reconcileRepairs;
    private final Gauge reconcileLastSuccess;
    private final Histogram reconcileDuration;
    private final Counter pushRequests;
    /** By {@link PushOutcome#ordinal()}: made once, so counting a request looks nothing up. */
    private final CounterDataPoint[] pushRequestSeries;
    /** Each service's, prefix's and check's series: nearly all of the page at scale. */
    private final ConfiguredSeries configured;

    /**
     * Metrics for {@code services}, whose series for states and check results exist from the start
     * (at zero), so rates and alerts see them before anything happens.
     *
     * @param version the program's version, for {@code anycastd_build_info}
     * @param clock the clock result ages are measured with (the runtime's)
     */
    public PrometheusMetrics(String version, List<ServiceDefinition> services, Clock clock) {
        Info build = Info.builder().name("anycastd_build_info").help("The running anycastd: its version and Java's.")
                .labelNames("version", "java_version").register(registry);
        build.addLabelValues(version, System.getProperty("java.version", "unknown"));
        // Exemplars off, on every metric: anycastd has no traces to link them to, and the client would
        // sample one at each observation, scheduling a task per series every 90 ms or so; at 1,000 checks
        // a second that was about 0.5 s of CPU a minute (BENCHMARKS.md).
        transitions = Counter.builder().withoutExemplars().name("anycastd_service_transitions_total")
                .help("Services changing state, by service, from, to and reason.")
                .labelNames("service", "from", "to", "reason").register(registry);
        configured = new ConfiguredSeries(clock);
        registry.register(configured);
        routerCallDuration = Histogram.builder().withoutExemplars().name("anycastd_router_call_duration_seconds")
                .help("How long a call to the routing daemon took (a batch or one prefix), by operation (announce, withdraw, read).")
                .labelNames("operation").classicOnly().classicUpperBounds(ROUTER_SECONDS).register(registry);
        routerCallErrors = Counter.builder().withoutExemplars().name("anycastd_router_call_errors_total")
                .help("Calls to the routing daemon that failed or timed out, by operation.")
                .labelNames("operation").register(registry);
        reconcileRuns = Counter.builder().withoutExemplars().name("anycastd_reconcile_runs_total")
                .help("Completed reconcile runs: what the routing daemon has compared with what it should have.")
                .register(registry);
        reconcileRepairs = Counter.builder().withoutExemplars().name("anycastd_reconcile_repairs_total")
                .help("Prefixes a reconcile found wrong at the routing daemon and asked to repair, by direction: announce"
                        + " (missing, should be announced) or withdraw (announced, should not be).")
                .labelNames("direction").register(registry);
        reconcileLastSuccess = Gauge.builder().withoutExemplars().name("anycastd_reconcile_last_success_timestamp_seconds")
                .help("When the last reconcile completed, in seconds since the epoch.")
                .register(registry);
        reconcileDuration = Histogram.builder().withoutExemplars().name("anycastd_reconcile_duration_seconds")
                .help("How long a reconcile run took.")
                .classicOnly().classicUpperBounds(ROUTER_SECONDS).register(registry);
        pushRequests = Counter.builder().withoutExemplars().name("anycastd_push_requests_total")
                .help("Requests to the receivers of pushed check results (Cabourotte's exporter), by outcome: accepted, or why"
                        + " they were refused.")
                .labelNames("outcome").register(registry);
        pushRequestSeries = new CounterDataPoint[PushOutcome.values().length];
        for (PushOutcome outcome : PushOutcome.values()) {
            pushRequestSeries[outcome.ordinal()] = pushRequests.labelValues(ConfiguredSeries.label(outcome));
        }
        for (RuntimeEvent.Operation operation : RuntimeEvent.Operation.values()) {
            routerCallErrors.labelValues(ConfiguredSeries.label(operation));
        }
        reconcileRepairs.labelValues("announce");
        reconcileRepairs.labelValues("withdraw");
        for (ServiceDefinition service : services) {
            configured.service(service.name());
            for (HealthCheck check : service.checks()) {
                configured.check(service.name(), check.name());
            }
            for (Prefix prefix : service.prefixes()) {
                configured.prefix(service.name(), prefix.prefix().toString());
            }
        }
    }

    /** The registry the metrics are in, e.g. to scrape it without HTTP in a test. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * Serves {@code /metrics} on {@code address} until the returned server is closed.
     *
     * @throws IOException when the address cannot be bound (in use, not local)
     */
    public HTTPServer serve(InetSocketAddress address) throws IOException {
        return HTTPServer.builder().inetAddress(address.getAddress()).port(address.getPort()).registry(registry).buildAndStart();
    }

    @Override
    public void onEvent(RuntimeEvent event) {
        if (event instanceof RuntimeEvent.ServiceChanged changed) {
            configured.serviceIs(changed.service(), changed.to());
            transitions.labelValues(changed.service(), ConfiguredSeries.label(changed.from()), ConfiguredSeries.label(changed.to()), changed.cause().label()).inc();
        } else if (event instanceof RuntimeEvent.CheckCompleted result) {
            configured.check(result.service(), result.check()).record(result.health(), result.pushed(), result.latency(), result.at());
        } else if (event instanceof RuntimeEvent.RouterCall call) {
            routerCallDuration.labelValues(ConfiguredSeries.label(call.operation())).observe(seconds(call.duration()));
            if (!call.succeeded()) {
                routerCallErrors.labelValues(ConfiguredSeries.label(call.operation())).inc();
            }
        } else if (event instanceof RuntimeEvent.ReconcileCompleted reconcile) {
            for (RuntimeEvent.PrefixState prefix : reconcile.prefixes()) {
                configured.prefixAnnounced(prefix.service(), prefix.prefix().toString(), prefix.announced());
            }
            reconcileRepairs.labelValues("announce").inc(reconcile.announceRepairs());
            reconcileRepairs.labelValues("withdraw").inc(reconcile.withdrawRepairs());
            reconcileRuns.inc();
            reconcileDuration.observe(seconds(reconcile.duration()));
            reconcileLastSuccess.set(reconcile.completedAt().toEpochMilli() / 1000.0);
        }
    }

    /** Counts the requests of push receivers: hand it to the check providers ({@code Providers.publishPushRequestsTo}). */
    public PushRequestListener pushRequests() {
        return outcome -> pushRequestSeries[outcome.ordinal()].inc();
    }


    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
