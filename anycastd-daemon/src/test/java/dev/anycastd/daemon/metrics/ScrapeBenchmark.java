package dev.anycastd.daemon.metrics;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.runtime.RuntimeEvent;
import dev.anycastd.core.service.Policy;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.testkit.FakePrefix;
import dev.anycastd.testkit.ScriptedHealthCheck;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Benchmark, not a test: the CPU one scrape of the metrics of N services costs (one check and two
 * prefixes each, every check with a result), split into collecting the client's snapshots and
 * writing the text page, plain and gzipped as a Prometheus server asks for it. Prints the median
 * of 60 scrapes after 40 of warm-up. Run it with the daemon's JVM options to see the daemon's
 * figures (BENCHMARKS.md, "What metrics cost"):
 *
 * <pre>
 * ./mvnw -q -pl anycastd-daemon -am test-compile \
 *     org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx96m \
 *     -cp anycastd-daemon/target/test-classes:anycastd-daemon/target/classes:$(cat anycastd-daemon/target/test-classpath.txt) \
 *     dev.anycastd.daemon.metrics.ScrapeBenchmark 1000
 * </pre>
 */
public final class ScrapeBenchmark {

    private static final int WARM_UP = 40;
    private static final int MEASURED = 60;

    private ScrapeBenchmark() {
    }

    /** {@code args[0]}: the number of services (default 1,000). */
    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        List<ServiceDefinition> services = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            services.add(new ServiceDefinition("service-" + i,
                    List.of(FakePrefix.of("10." + i / 250 + "." + i % 250 + ".1/32"), FakePrefix.of("2001:db8:" + Integer.toHexString(i) + "::1/128")),
                    List.of(new ScriptedHealthCheck("check-" + i, Duration.ofSeconds(1))), Policy.DEFAULT, "benchmark"));
        }
        PrometheusMetrics metrics = new PrometheusMetrics("benchmark", services, Clock.systemUTC());
        for (int i = 0; i < count; i++) {
            metrics.onEvent(new RuntimeEvent.CheckCompleted("service-" + i, "check-" + i, Health.healthy(), false, Duration.ofMillis(3),
                    Instant.now()));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] collect = new long[MEASURED];
        long[] write = new long[MEASURED];
        long[] gzip = new long[MEASURED];
        int bytes = 0;
        for (int round = 0; round < WARM_UP + MEASURED; round++) {
            long started = threads.getCurrentThreadCpuTime();
            MetricSnapshots snapshots = metrics.registry().scrape();
            long collected = threads.getCurrentThreadCpuTime();
            ByteArrayOutputStream page = new ByteArrayOutputStream(1 << 21);
            PrometheusTextFormatWriter.create().write(page, snapshots);
            long written = threads.getCurrentThreadCpuTime();
            try (GZIPOutputStream zipped = new GZIPOutputStream(new ByteArrayOutputStream(1 << 18))) {
                page.writeTo(zipped);
            }
            long zippedAt = threads.getCurrentThreadCpuTime();
            if (round >= WARM_UP) {
                collect[round - WARM_UP] = collected - started;
                write[round - WARM_UP] = written - collected;
                gzip[round - WARM_UP] = zippedAt - written;
            }
            bytes = page.size();
        }
        System.out.printf(Locale.ROOT, "%,d services, %,d bytes a page; median CPU of one scrape: collect %.1f ms, write %.1f ms,"
                + " gzip %.1f ms%n", count, bytes, median(collect), median(write), median(gzip));
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}
