package dev.anycastd.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.runtime.RuntimeEvent;
import dev.anycastd.core.runtime.RuntimeEvent.ServiceCondition;
import dev.anycastd.core.service.Policy;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.service.TransitionCause;
import dev.anycastd.testkit.FakePrefix;
import dev.anycastd.testkit.ScriptedHealthCheck;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page as a Prometheus server reads it, written by the client's own text writer. */
class PrometheusMetricsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private static ServiceDefinition service(String name, String prefix, String check) {
        return new ServiceDefinition(name, List.of(FakePrefix.of(prefix)), List.of(new ScriptedHealthCheck(check, Duration.ofSeconds(1))),
                Policy.DEFAULT, "fingerprint");
    }

    private final PrometheusMetrics metrics = new PrometheusMetrics("1.2.3",
            List.of(service("web", "192.0.2.80/32", "http"), service("dns", "192.0.2.53/32", "udp")), clock);

    private String page() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> series(String page, String name) {
        return page.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " ")).toList();
    }

    @Test
    void everyConfiguredServiceStartsWithdrawnWithItsSeriesAtZero() throws IOException {
        String page = page();

        assertThat(series(page, "anycastd_service_state")).containsExactly(
                "anycastd_service_state{service=\"dns\",state=\"announced\"} 0.0",
                "anycastd_service_state{service=\"dns\",state=\"degraded\"} 0.0",
                "anycastd_service_state{service=\"dns\",state=\"drained\"} 0.0",
                "anycastd_service_state{service=\"dns\",state=\"draining\"} 0.0",
                "anycastd_service_state{service=\"dns\",state=\"withdrawn\"} 1.0",
                "anycastd_service_state{service=\"web\",state=\"announced\"} 0.0",
                "anycastd_service_state{service=\"web\",state=\"degraded\"} 0.0",
                "anycastd_service_state{service=\"web\",state=\"drained\"} 0.0",
                "anycastd_service_state{service=\"web\",state=\"draining\"} 0.0",
                "anycastd_service_state{service=\"web\",state=\"withdrawn\"} 1.0");
        assertThat(series(page, "anycastd_prefix_announced")).containsExactly(
                "anycastd_prefix_announced{prefix=\"192.0.2.53/32\",service=\"dns\"} 0.0",
                "anycastd_prefix_announced{prefix=\"192.0.2.80/32\",service=\"web\"} 0.0");
        assertThat(series(page, "anycastd_check_results_total")).containsExactly(
                "anycastd_check_results_total{check=\"http\",outcome=\"healthy\",service=\"web\"} 0.0",
                "anycastd_check_results_total{check=\"http\",outcome=\"unhealthy\",service=\"web\"} 0.0",
                "anycastd_check_results_total{check=\"http\",outcome=\"unknown\",service=\"web\"} 0.0",
                "anycastd_check_results_total{check=\"udp\",outcome=\"healthy\",service=\"dns\"} 0.0",
                "anycastd_check_results_total{check=\"udp\",outcome=\"unhealthy\",service=\"dns\"} 0.0",
                "anycastd_check_results_total{check=\"udp\",outcome=\"unknown\",service=\"dns\"} 0.0");
        assertThat(series(page, "anycastd_check_duration_seconds_count")).isEmpty();
        assertThat(series(page, "anycastd_check_result_age_seconds")).isEmpty();
        assertThat(page).contains("anycastd_build_info{java_version=\"",
                "version=\"1.2.3\"} 1");
    }

    @Test
    void resultsFillTheCountersTheHistogramOfTheirOutcomeAndTheAge() throws IOException {
        metrics.onEvent(new RuntimeEvent.CheckCompleted("web", "http", Health.healthy(), false, Duration.ofMillis(3), NOW.minusSeconds(2)));
        metrics.onEvent(new RuntimeEvent.CheckCompleted("web", "http", Health.healthy(), false, Duration.ofMillis(30), NOW.minusSeconds(1)));
        metrics.onEvent(new RuntimeEvent.CheckCompleted("web", "http", Health.unhealthy("down"), true, Duration.ZERO, NOW.minusMillis(500)));

        String page = page();

        assertThat(series(page, "anycastd_check_results_total")).contains(
                "anycastd_check_results_total{check=\"http\",outcome=\"healthy\",service=\"web\"} 2.0",
                "anycastd_check_results_total{check=\"http\",outcome=\"unhealthy\",service=\"web\"} 1.0");
        // Buckets are cumulative on the page; the pushed result has no latency, so no unhealthy histogram.
        assertThat(series(page, "anycastd_check_duration_seconds_bucket")).containsExactly(
                "anycastd_check_duration_seconds_bucket{check=\"http\",outcome=\"healthy\",service=\"web\",le=\"0.005\"} 1",
                "anycastd_check_duration_seconds_bucket{check=\"http\",outcome=\"healthy\",service=\"web\",le=\"0.025\"} 1",
                "anycastd_check_duration_seconds_bucket{check=\"http\",outcome=\"healthy\",service=\"web\",le=\"0.1\"} 2",
                "anycastd_check_duration_seconds_bucket{check=\"http\",outcome=\"healthy\",service=\"web\",le=\"0.5\"} 2",
                "anycastd_check_duration_seconds_bucket{check=\"http\",outcome=\"healthy\",service=\"web\",le=\"2.5\"} 2",
                "anycastd_check_duration_seconds_bucket{check=\"http\",outcome=\"healthy\",service=\"web\",le=\"+Inf\"} 2");
        assertThat(series(page, "anycastd_check_duration_seconds_sum")).containsExactly(
                "anycastd_check_duration_seconds_sum{check=\"http\",outcome=\"healthy\",service=\"web\"} 0.033");
        assertThat(series(page, "anycastd_check_result_age_seconds")).containsExactly(
                "anycastd_check_result_age_seconds{check=\"http\",service=\"web\"} 0.5");
    }

    @Test
    void aTransitionMovesTheStateAndIsCountedWithItsCause() throws IOException {
        metrics.onEvent(new RuntimeEvent.ServiceChanged("web", ServiceCondition.WITHDRAWN, ServiceCondition.ANNOUNCED,
                TransitionCause.CHECKS_HEALTHY, "all checks pass", NOW));
        metrics.onEvent(new RuntimeEvent.ReconcileCompleted(NOW, Duration.ofMillis(20),
                List.of(new RuntimeEvent.PrefixState("web", IpPrefix.parse("192.0.2.80/32"), true)), 1, 0, true));

        String page = page();

        assertThat(series(page, "anycastd_service_state")).contains(
                "anycastd_service_state{service=\"web\",state=\"announced\"} 1.0",
                "anycastd_service_state{service=\"web\",state=\"withdrawn\"} 0.0",
                "anycastd_service_state{service=\"dns\",state=\"withdrawn\"} 1.0");
        assertThat(series(page, "anycastd_service_transitions_total")).containsExactly(
                "anycastd_service_transitions_total{from=\"withdrawn\",reason=\"checks_healthy\",service=\"web\",to=\"announced\"} 1.0");
        assertThat(series(page, "anycastd_prefix_announced")).contains(
                "anycastd_prefix_announced{prefix=\"192.0.2.80/32\",service=\"web\"} 1.0");
        assertThat(series(page, "anycastd_reconcile_repairs_total")).contains("anycastd_reconcile_repairs_total{direction=\"announce\"} 1.0");
    }

    @Test
    void aServiceAddedByAReloadGetsItsSeriesAtItsFirstEventInOrder() throws IOException {
        metrics.onEvent(new RuntimeEvent.ServiceChanged("ntp", ServiceCondition.WITHDRAWN, ServiceCondition.ANNOUNCED,
                TransitionCause.CHECKS_HEALTHY, "all checks pass", NOW));
        metrics.onEvent(new RuntimeEvent.CheckCompleted("ntp", "chrony", Health.unknown("timed out"), false, Duration.ofSeconds(3), NOW));

        String page = page();

        assertThat(series(page, "anycastd_service_state")).hasSize(15).contains(
                "anycastd_service_state{service=\"ntp\",state=\"announced\"} 1.0",
                "anycastd_service_state{service=\"ntp\",state=\"withdrawn\"} 0.0");
        assertThat(series(page, "anycastd_service_state").get(5)).startsWith("anycastd_service_state{service=\"ntp\"");
        assertThat(series(page, "anycastd_check_results_total").get(0))
                .isEqualTo("anycastd_check_results_total{check=\"chrony\",outcome=\"healthy\",service=\"ntp\"} 0.0");
        assertThat(series(page, "anycastd_check_duration_seconds_bucket")).contains(
                "anycastd_check_duration_seconds_bucket{check=\"chrony\",outcome=\"unknown\",service=\"ntp\",le=\"2.5\"} 0",
                "anycastd_check_duration_seconds_bucket{check=\"chrony\",outcome=\"unknown\",service=\"ntp\",le=\"+Inf\"} 1");
    }
}
