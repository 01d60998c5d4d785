package dev.anycastd.daemon.metrics;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.runtime.RuntimeEvent;
import dev.anycastd.core.runtime.RuntimeListener;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.PushOutcome;
import dev.anycastd.core.spi.PushRequestListener;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The daemon's Prometheus metrics, fed by the runtime's events and served at {@code /metrics}
 * by the official Java client's HTTP server. Every label value comes from the configuration
 * (service, check and prefix names) or from a small closed set (states, causes, outcomes,
 * operations), never from request data, so the number of series is bounded by the
 * configuration. docs/METRICS.md lists every metric.
 *
 * <p>Thread-safe: the client's metrics are, and the series of checks are in concurrent maps.
 */
public final class PrometheusMetrics implements RuntimeListener {

    private static final double[] CHECK_SECONDS = {0.005, 0.025, 0.1, 0.5, 2.5};
    /** The outcomes of check results, as labels; indexed by {@link #outcome(Health)}. */
    private static final List<String> OUTCOMES = List.of("healthy", "unhealthy", "unknown");
    private static final double[] ROUTER_SECONDS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Clock clock;
    private final Gauge serviceState;
    private final Gauge prefixAnnounced;
    private final Counter transitions;
    private final Counter checkResults;
    private final Histogram checkDuration;
    private final Histogram routerCallDuration;
    private final Counter routerCallErrors;
    private final Counter reconcileRuns;
    private final Counter reconcileRepairs;
    private final Gauge reconcileLastSuccess;
    private final Histogram reconcileDuration;
    private final Counter pushRequests;
    /** By {@link PushOutcome#ordinal()}: made once, so counting a request looks nothing up. */
    private final CounterDataPoint[] pushRequestSeries;
    /**
     * The series of each check, by service and check name, made at its first result (or at the
     * start, for the configured checks): a check result is the most frequent event, and finding
     * its series by label values each time cost more than recording into them.
     */
    private final Map<String, Map<String, CheckSeries>> checkSeries = new ConcurrentHashMap<>();

    /**
     * Metrics for {@code services}, whose series for states and check results exist from the start
     * (at zero), so rates and alerts see them before anything happens.
     *
     * @param version the program's version, for {@code anycastd_build_info}
     * @param clock the clock result ages are measured with (the runtime's)
     */
    public PrometheusMetrics(String version, List<ServiceDefinition> services, Clock clock) {
        this.clock = clock;
        Info build = Info.builder().name("anycastd_build_info").help("The running anycastd: its version and Java's.")
                .labelNames("version", "java_version").register(registry);
        build.addLabelValues(version, System.getProperty("java.version", "unknown"));
        // Exemplars off, on every metric: anycastd has no traces to link them to, and the client would
        // sample one at each observation, scheduling a task per series every 90 ms or so; at 1,000 checks
        // a second that was about 0.5 s of CPU a minute (BENCHMARKS.md).
        serviceState = Gauge.builder().withoutExemplars().name("anycastd_service_state")
                .help("1 for the state each service is in (announced, withdrawn, drained), 0 for the others.")
                .labelNames("service", "state").register(registry);
        prefixAnnounced = Gauge.builder().withoutExemplars().name("anycastd_prefix_announced")
                .help("Whether the routing daemon announced the prefix when the last reconcile read it (1) or not (0).")
                .labelNames("service", "prefix").register(registry);
        transitions = Counter.builder().withoutExemplars().name("anycastd_service_transitions_total")
                .help("Services changing state, by service, from, to and reason.")
                .labelNames("service", "from", "to", "reason").register(registry);
        checkResults = Counter.builder().withoutExemplars().name("anycastd_check_results_total")
                .help("Results of health checks (polled and pushed), by service, check and outcome (healthy, unhealthy, unknown).")
                .labelNames("service", "check", "outcome").register(registry);
        checkDuration = Histogram.builder().withoutExemplars().name("anycastd_check_duration_seconds")
                .help("How long a polled health check took, by service, check and outcome.")
                .labelNames("service", "check", "outcome").classicOnly().classicUpperBounds(CHECK_SECONDS).register(registry);
        GaugeWithCallback.builder().name("anycastd_check_result_age_seconds")
                .help("How long ago each check's latest result arrived.")
                .labelNames("service", "check")
                .callback(callback -> {
                    Instant now = clock.instant();
                    checkSeries.values().forEach(checks -> checks.values().forEach(series -> {
                        Instant at = series.lastResult;
                        if (at != null) {
                            callback.call(seconds(Duration.between(at, now)), series.service, series.check);
                        }
                    }));
                })
                .register(registry);
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
            pushRequestSeries[outcome.ordinal()] = pushRequests.labelValues(label(outcome));
        }
        for (RuntimeEvent.Operation operation : RuntimeEvent.Operation.values()) {
            routerCallErrors.labelValues(label(operation));
        }
        reconcileRepairs.labelValues("announce");
        reconcileRepairs.labelValues("withdraw");
        for (ServiceDefinition service : services) {
            for (RuntimeEvent.ServiceCondition condition : RuntimeEvent.ServiceCondition.values()) {
                serviceState.labelValues(service.name(), label(condition)).set(condition == RuntimeEvent.ServiceCondition.WITHDRAWN ? 1 : 0);
            }
            for (HealthCheck check : service.checks()) {
                series(service.name(), check.name());
            }
            for (Prefix prefix : service.prefixes()) {
                prefixAnnounced.labelValues(service.name(), prefix.prefix().toString());
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
            serviceState.labelValues(changed.service(), label(changed.from())).set(0);
            serviceState.labelValues(changed.service(), label(changed.to())).set(1);
            transitions.labelValues(changed.service(), label(changed.from()), label(changed.to()), changed.cause().label()).inc();
        } else if (event instanceof RuntimeEvent.CheckCompleted result) {
            series(result.service(), result.check()).record(result);
        } else if (event instanceof RuntimeEvent.RouterCall call) {
            routerCallDuration.labelValues(label(call.operation())).observe(seconds(call.duration()));
            if (!call.succeeded()) {
                routerCallErrors.labelValues(label(call.operation())).inc();
            }
        } else if (event instanceof RuntimeEvent.ReconcileCompleted reconcile) {
            for (RuntimeEvent.PrefixState prefix : reconcile.prefixes()) {
                prefixAnnounced.labelValues(prefix.service(), prefix.prefix().toString()).set(prefix.announced() ? 1 : 0);
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

    private CheckSeries series(String service, String check) {
        Map<String, CheckSeries> checks = checkSeries.get(service);
        if (checks == null) {
            checks = checkSeries.computeIfAbsent(service, name -> new ConcurrentHashMap<>());
        }
        CheckSeries series = checks.get(check);
        return series != null ? series : checks.computeIfAbsent(check, name -> new CheckSeries(service, name));
    }

    /** The series of one check; its counters exist from the start, its histograms from an outcome's first polled result. */
    private final class CheckSeries {
        private final String service;
        private final String check;
        private final CounterDataPoint[] results = new CounterDataPoint[OUTCOMES.size()];
        /** Made at the first polled result of each outcome, so that a check shows only the histograms of outcomes it had. */
        private final AtomicReferenceArray<DistributionDataPoint> durations = new AtomicReferenceArray<>(OUTCOMES.size());
        private volatile Instant lastResult;

        CheckSeries(String service, String check) {
            this.service = service;
            this.check = check;
            for (int outcome = 0; outcome < OUTCOMES.size(); outcome++) {
                results[outcome] = checkResults.labelValues(service, check, OUTCOMES.get(outcome));
            }
        }

        void record(RuntimeEvent.CheckCompleted result) {
            int outcome = outcome(result.health());
            results[outcome].inc();
            if (!result.pushed()) {
                DistributionDataPoint duration = durations.get(outcome);
                if (duration == null) {
                    // Racing threads get the same data point from the histogram; either may keep it here.
                    duration = checkDuration.labelValues(service, check, OUTCOMES.get(outcome));
                    durations.set(outcome, duration);
                }
                duration.observe(seconds(result.latency()));
            }
            lastResult = result.at();
        }
    }

    /** The index of {@code health}'s outcome in {@link #OUTCOMES}. */
    private static int outcome(Health health) {
        if (health instanceof Health.Healthy) {
            return 0;
        }
        return health instanceof Health.Unhealthy ? 1 : 2;
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
