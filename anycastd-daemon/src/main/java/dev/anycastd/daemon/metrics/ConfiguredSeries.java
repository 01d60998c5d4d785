package dev.anycastd.daemon.metrics;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.runtime.RuntimeEvent.ServiceCondition;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The series whose labels come from the configuration: each service's state, each prefix's
 * announcement, and each check's results, latency and result age. At 1,000 services they are
 * nearly all of the page (17,000 of its lines), so they are kept here in label order: the client
 * sorts every metric's series by labels at each scrape, and for series of its own metric types,
 * held in hash maps, that sort was half of a scrape's CPU. Series read in order cost it one
 * comparison each. The snapshots are the client's model; the client's writers expose them.
 *
 * <p>Thread-safe. A check's histogram takes one run's observation at a time (the runtime never
 * runs a check twice at once), so a scrape may see its count and sum one observation apart, as
 * it may see any two series apart.
 */
final class ConfiguredSeries implements MultiCollector {

    /** Upper bounds of the check-latency buckets, in seconds; +Inf follows. */
    private static final double[] CHECK_SECONDS = {0.005, 0.025, 0.1, 0.5, 2.5, Double.POSITIVE_INFINITY};
    /** The outcomes of check results, as labels, in label order; indexed by {@link #outcome(Health)}. */
    private static final List<String> OUTCOMES = List.of("healthy", "unhealthy", "unknown");
    /** The states as labels, in label order, as the page lists them. */
    private static final List<ServiceCondition> STATES = Arrays.stream(ServiceCondition.values())
            .sorted(Comparator.comparing(ConfiguredSeries::label)).toList();

    private static final MetricMetadata SERVICE_STATE = new MetricMetadata("anycastd_service_state",
            "1 for the state each service is in (announced, withdrawn, drained, degraded, draining), 0 for the others.");
    private static final MetricMetadata PREFIX_ANNOUNCED = new MetricMetadata("anycastd_prefix_announced",
            "Whether the routing daemon announced the prefix when the last reconcile read it (1) or not (0).");
    private static final MetricMetadata CHECK_RESULTS = new MetricMetadata("anycastd_check_results",
            "Results of health checks (polled and pushed), by service, check and outcome (healthy, unhealthy, unknown).");
    private static final MetricMetadata CHECK_DURATION = new MetricMetadata("anycastd_check_duration_seconds",
            "How long a polled health check took, by service, check and outcome.");
    private static final MetricMetadata CHECK_RESULT_AGE = new MetricMetadata("anycastd_check_result_age_seconds",
            "How long ago each check's latest result arrived.");

    private final Clock clock;
    /** By service name, which orders the state series (labels service, state). */
    private final ConcurrentSkipListMap<String, ServiceState> states = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Labels, PrefixState> prefixes = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Labels, AtomicLong> results = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Labels, Durations> durations = new ConcurrentSkipListMap<>();
    /** By the labels check and service of the result age. */
    private final ConcurrentSkipListMap<Labels, CheckSeries> checks = new ConcurrentSkipListMap<>();
    /** The same checks by service and check name, for finding one by an event. */
    private final Map<String, Map<String, CheckSeries>> checksByName = new ConcurrentHashMap<>();

    ConfiguredSeries(Clock clock) {
        this.clock = clock;
    }

    /** The service's state series; made withdrawn, as every service starts. */
    void service(String service) {
        states.computeIfAbsent(service, ServiceState::new);
    }

    /** Sets the state {@code service} is in. */
    void serviceIs(String service, ServiceCondition condition) {
        states.computeIfAbsent(service, ServiceState::new).current = condition;
    }

    /** The prefix's series, made at 0 (not announced). */
    void prefix(String service, String prefix) {
        prefixes.computeIfAbsent(Labels.of("prefix", prefix, "service", service), labels -> new PrefixState());
    }

    /** Records what the last reconcile read of the prefix. */
    void prefixAnnounced(String service, String prefix, boolean announced) {
        prefixes.computeIfAbsent(Labels.of("prefix", prefix, "service", service), labels -> new PrefixState()).announced = announced;
    }

    /** The check's series: its result counters at zero, its histograms from an outcome's first polled result. */
    CheckSeries check(String service, String check) {
        Map<String, CheckSeries> ofService = checksByName.get(service);
        if (ofService == null) {
            ofService = checksByName.computeIfAbsent(service, name -> new ConcurrentHashMap<>());
        }
        CheckSeries series = ofService.get(check);
        return series != null ? series : ofService.computeIfAbsent(check, name -> {
            CheckSeries made = new CheckSeries(service, check);
            checks.put(Labels.of("check", check, "service", service), made);
            return made;
        });
    }

    @Override
    public MetricSnapshots collect() {
        List<GaugeDataPointSnapshot> stateSeries = new ArrayList<>(states.size() * STATES.size());
        states.forEach((service, state) -> {
            ServiceCondition current = state.current;
            for (int index = 0; index < STATES.size(); index++) {
                stateSeries.add(new GaugeDataPointSnapshot(STATES.get(index) == current ? 1 : 0, state.labels[index], null));
            }
        });
        List<GaugeDataPointSnapshot> prefixSeries = new ArrayList<>(prefixes.size());
        prefixes.forEach((labels, prefix) -> prefixSeries.add(new GaugeDataPointSnapshot(prefix.announced ? 1 : 0, labels, null)));
        List<CounterDataPointSnapshot> resultSeries = new ArrayList<>(results.size());
        results.forEach((labels, count) -> resultSeries.add(new CounterDataPointSnapshot(count.get(), labels, null, 0)));
        List<HistogramDataPointSnapshot> durationSeries = new ArrayList<>(durations.size());
        durations.forEach((labels, histogram) -> durationSeries.add(histogram.snapshot(labels)));
        Instant now = clock.instant();
        List<GaugeDataPointSnapshot> ageSeries = new ArrayList<>(checks.size());
        checks.forEach((labels, check) -> {
            Instant at = check.lastResult;
            if (at != null) {
                ageSeries.add(new GaugeDataPointSnapshot(Duration.between(at, now).toNanos() / 1e9, labels, null));
            }
        });
        return new MetricSnapshots(new GaugeSnapshot(SERVICE_STATE, stateSeries), new GaugeSnapshot(PREFIX_ANNOUNCED, prefixSeries),
                new CounterSnapshot(CHECK_RESULTS, resultSeries), new HistogramSnapshot(CHECK_DURATION, durationSeries),
                new GaugeSnapshot(CHECK_RESULT_AGE, ageSeries));
    }

    /** What the registry checks against other metrics' names and labels. */
    @Override
    public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
        return List.of(MetricFamilyDescriptor.of(MetricType.GAUGE, SERVICE_STATE, List.of("service", "state")),
                MetricFamilyDescriptor.of(MetricType.GAUGE, PREFIX_ANNOUNCED, List.of("service", "prefix")),
                MetricFamilyDescriptor.of(MetricType.COUNTER, CHECK_RESULTS, List.of("service", "check", "outcome")),
                MetricFamilyDescriptor.of(MetricType.HISTOGRAM, CHECK_DURATION, List.of("service", "check", "outcome")),
                MetricFamilyDescriptor.of(MetricType.GAUGE, CHECK_RESULT_AGE, List.of("service", "check")));
    }

    /** The label of a state or another of the runtime's closed sets. */
    static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The index of {@code health}'s outcome in {@link #OUTCOMES}. */
    private static int outcome(Health health) {
        if (health instanceof Health.Healthy) {
            return 0;
        }
        return health instanceof Health.Unhealthy ? 1 : 2;
    }

    private static final class ServiceState {
        /** The labels of each of {@link #STATES}, made once. */
        private final Labels[] labels = new Labels[STATES.size()];
        private volatile ServiceCondition current = ServiceCondition.WITHDRAWN;

        ServiceState(String service) {
            for (int index = 0; index < labels.length; index++) {
                labels[index] = Labels.of("service", service, "state", label(STATES.get(index)));
            }
        }
    }

    private static final class PrefixState {
        private volatile boolean announced;
    }

    /** One check's latency for one outcome: counts per bucket (not cumulative) and their sum. */
    private static final class Durations {
        private final AtomicLongArray counts = new AtomicLongArray(CHECK_SECONDS.length);
        private final DoubleAdder sum = new DoubleAdder();

        void observe(double seconds) {
            int bucket = 0;
            while (seconds > CHECK_SECONDS[bucket]) {
                bucket++;
            }
            counts.incrementAndGet(bucket);
            sum.add(seconds);
        }

        HistogramDataPointSnapshot snapshot(Labels labels) {
            long[] each = new long[CHECK_SECONDS.length];
            for (int bucket = 0; bucket < each.length; bucket++) {
                each[bucket] = counts.get(bucket);
            }
            return new HistogramDataPointSnapshot(ClassicHistogramBuckets.of(CHECK_SECONDS, each), sum.sum(), labels, Exemplars.EMPTY, 0);
        }
    }

    /** The series of one check, made once so that recording a result looks nothing up. */
    final class CheckSeries {
        private final String service;
        private final String check;
        private final AtomicLong[] counts = new AtomicLong[OUTCOMES.size()];
        private final AtomicReferenceArray<Durations> latencies = new AtomicReferenceArray<>(OUTCOMES.size());
        private volatile Instant lastResult;

        private CheckSeries(String service, String check) {
            this.service = service;
            this.check = check;
            for (int outcome = 0; outcome < OUTCOMES.size(); outcome++) {
                counts[outcome] = results.computeIfAbsent(Labels.of("check", check, "outcome", OUTCOMES.get(outcome), "service", service),
                        labels -> new AtomicLong());
            }
        }

        /** Counts a result; a polled one's latency goes to the histogram of its outcome. */
        void record(Health health, boolean pushed, Duration latency, Instant at) {
            int outcome = outcome(health);
            counts[outcome].incrementAndGet();
            if (!pushed) {
                Durations histogram = latencies.get(outcome);
                if (histogram == null) {
                    histogram = durations.computeIfAbsent(Labels.of("check", check, "outcome", OUTCOMES.get(outcome), "service", service),
                            labels -> new Durations());
                    latencies.set(outcome, histogram);
                }
                histogram.observe(latency.toNanos() / 1e9);
            }
            lastResult = at;
        }
    }
}
