package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.cabourotte.CabourotteCheckProvider;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.runtime.AnycastRuntime;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.Options;
import dev.anycastd.daemon.metrics.PrometheusMetrics;
import dev.anycastd.frr.FrrPrefixProvider;
import dev.anycastd.testkit.cabourotte.FakeCabourotte;
import dev.anycastd.testkit.frr.FrrLab;
import dev.anycastd.testkit.frr.FrrLabExtension;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Prometheus metrics against a real FRR: {@code /metrics} is scraped over HTTP while a
 * service is announced, withdrawn and announced again, and the values follow.
 */
@ExtendWith(FrrLabExtension.class)
class MetricsLabTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String ANNOUNCEMENTS =
            "anycastd_service_transitions_total{from=\"withdrawn\",reason=\"checks_healthy\",service=\"web\",to=\"announced\"}";

    private final FrrLab lab;
    private final HttpClient http = HttpClient.newHttpClient();

    MetricsLabTest(FrrLab lab) {
        this.lab = lab;
    }

    @Test
    void scrapedValuesFollowAServiceAsItFlips() throws Exception {
        IpPrefix address = IpPrefix.parse("198.18.254.80");
        lab.host().addLoopbackAddresses(List.of(address));
        try (FakeCabourotte cabourotte = FakeCabourotte.start().healthy("web")) {
            Prefix prefix = new FrrPrefixProvider().create(Options.of("services.web.prefixes.frrouting[0]",
                    Map.of("prefix", address.toString(), "vtysh", lab.host().vtysh().toString())));
            HealthCheck check = new CabourotteCheckProvider().create(Options.of("services.web.checks.cabourotte[0]",
                    Map.of("name", "web", "url", cabourotte.url().toString(), "interval", "1s")));
            List<ServiceDefinition> services = List.of(new ServiceDefinition("web", List.of(prefix), List.of(check)));
            PrometheusMetrics metrics = new PrometheusMetrics("1.2.3", services, Clock.systemUTC());
            try (HTTPServer server = metrics.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    AnycastRuntime runtime = AnycastRuntime.builder().services(services).reconcileInterval(Duration.ofMillis(300))
                            .eventListener(metrics).build()) {
                String url = "http://127.0.0.1:" + server.getPort() + "/metrics";
                assertThat(value(scrape(url), "anycastd_service_state{service=\"web\",state=\"withdrawn\"}")).contains(1.0);
                assertThat(scrape(url)).contains("anycastd_build_info{java_version=\"" + System.getProperty("java.version")
                        + "\",version=\"1.2.3\"} 1");

                runtime.start();
                lab.upstream().awaitRoute(address);
                await().atMost(PATIENCE).until(() -> value(scrape(url), "anycastd_prefix_announced{prefix=\"198.18.254.80/32\",service=\"web\"}")
                        .equals(Optional.of(1.0)));
                String announced = scrape(url);
                assertThat(value(announced, "anycastd_service_state{service=\"web\",state=\"announced\"}")).contains(1.0);
                assertThat(value(announced, "anycastd_service_state{service=\"web\",state=\"withdrawn\"}")).contains(0.0);
                // At least once: on a loaded machine a check may time out and the service flap before this scrape.
                double announcements = value(announced, ANNOUNCEMENTS).orElseThrow();
                assertThat(announcements).isPositive();
                assertThat(value(announced, "anycastd_check_results_total{check=\"web\",outcome=\"healthy\",service=\"web\"}"))
                        .hasValueSatisfying(count -> assertThat(count).isPositive());
                assertThat(value(announced, "anycastd_check_duration_seconds_count{check=\"web\",outcome=\"healthy\",service=\"web\"}"))
                        .hasValueSatisfying(count -> assertThat(count).isPositive());
                assertThat(value(announced, "anycastd_router_call_duration_seconds_count{operation=\"announce\"}"))
                        .hasValueSatisfying(count -> assertThat(count).isPositive());
                assertThat(value(announced, "anycastd_reconcile_runs_total")).hasValueSatisfying(runs -> assertThat(runs).isPositive());
                assertThat(value(announced, "anycastd_reconcile_last_success_timestamp_seconds"))
                        .hasValueSatisfying(time -> assertThat(time).isPositive());
                assertThat(value(announced, "anycastd_check_result_age_seconds{check=\"web\",service=\"web\"}")).isPresent();

                cabourotte.failing("web", "HTTP 503");
                lab.upstream().awaitNoRoute(address);
                await().atMost(PATIENCE).until(() -> value(scrape(url), "anycastd_prefix_announced{prefix=\"198.18.254.80/32\",service=\"web\"}")
                        .equals(Optional.of(0.0)));
                String withdrawn = scrape(url);
                assertThat(value(withdrawn, "anycastd_service_state{service=\"web\",state=\"withdrawn\"}")).contains(1.0);
                assertThat(value(withdrawn, "anycastd_service_state{service=\"web\",state=\"announced\"}")).contains(0.0);
                assertThat(value(withdrawn, "anycastd_service_transitions_total{from=\"announced\",reason=\"check_unhealthy\",service=\"web\",to=\"withdrawn\"}"))
                        .contains(1.0);
                assertThat(value(withdrawn, "anycastd_check_results_total{check=\"web\",outcome=\"unhealthy\",service=\"web\"}"))
                        .hasValueSatisfying(count -> assertThat(count).isPositive());
                assertThat(value(withdrawn, "anycastd_router_call_duration_seconds_count{operation=\"withdraw\"}"))
                        .hasValueSatisfying(count -> assertThat(count).isPositive());

                cabourotte.healthy("web");
                lab.upstream().awaitRoute(address);
                await().atMost(PATIENCE).until(() -> value(scrape(url), ANNOUNCEMENTS).orElseThrow() > announcements);
            }
            lab.upstream().awaitNoRoute(address);
        }
    }

    private String scrape(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The value of one series in a text exposition, if the series is there. */
    static Optional<Double> value(String exposition, String series) {
        return exposition.lines().filter(line -> line.startsWith(series + " "))
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).strip().split(" ")[0])).findFirst();
    }
}
