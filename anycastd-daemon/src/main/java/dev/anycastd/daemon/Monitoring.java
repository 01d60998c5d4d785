package dev.anycastd.daemon;

import dev.anycastd.core.runtime.AnycastRuntime;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.Providers;
import dev.anycastd.daemon.metrics.PrometheusMetrics;
import dev.anycastd.daemon.systemd.SystemdNotifier;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What watches a running daemon from outside: the Prometheus metrics listener, when
 * {@code metrics-listen} (the option or the configuration's key) asks for one, and the systemd
 * notifier, when systemd started anycastd with {@code Type=notify}. Both are listeners of the
 * runtime's events; without either, the runtime runs as before.
 */
final class Monitoring implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Monitoring.class);

    /** The reconcile interval when no watchdog asks for a shorter one (the runtime's default). */
    static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(30);

    private final PrometheusMetrics metrics;
    private final HTTPServer server;
    private final SystemdNotifier notifier;
    private final Duration watchdog;

    private Monitoring(PrometheusMetrics metrics, HTTPServer server, SystemdNotifier notifier, Duration watchdog) {
        this.metrics = metrics;
        this.server = server;
        this.notifier = notifier;
        this.watchdog = watchdog;
    }

    /** Nothing watches: the runtime runs as it always did. */
    static Monitoring none() {
        return new Monitoring(null, null, null, null);
    }

    /**
     * Opens the metrics listener on {@code metricsListen} (when not {@code null}) and the systemd
     * notifier (when {@code environment} has {@code NOTIFY_SOCKET}).
     *
     * @param origin what asked for {@code metricsListen}, for the error: {@code --metrics-listen} or the configuration key
     * @throws MetricsListenException when the metrics address cannot be bound
     */
    static Monitoring open(List<ServiceDefinition> services, InetSocketAddress metricsListen, String origin,
            Map<String, String> environment, String version) throws MetricsListenException {
        PrometheusMetrics metrics = null;
        HTTPServer server = null;
        if (metricsListen != null) {
            metrics = new PrometheusMetrics(version, services, Clock.systemUTC());
            try {
                server = metrics.serve(metricsListen);
            } catch (IOException | RuntimeException e) {
                throw new MetricsListenException(origin, metricsListen, e);
            }
            log.atInfo().addKeyValue("metrics_listen", metricsListen.getHostString() + ":" + server.getPort())
                    .log("Serving Prometheus metrics on http://{}:{}/metrics.", hostForUrl(metricsListen), server.getPort());
        }
        SystemdNotifier notifier = SystemdNotifier.fromEnvironment(environment, services).orElse(null);
        Duration watchdog = notifier == null ? null : SystemdNotifier.watchdogTimeout(environment).orElse(null);
        return new Monitoring(metrics, server, notifier, watchdog);
    }

    /**
     * Adds the listeners to {@code builder} and, under a systemd watchdog, a reconcile interval that
     * fits three times into its timeout: the watchdog is pinged by completed reconciles only.
     */
    void configure(AnycastRuntime.Builder builder) {
        if (metrics != null) {
            builder.eventListener(metrics);
        }
        if (notifier != null) {
            builder.eventListener(notifier);
        }
        Duration interval = reconcileInterval(Optional.ofNullable(watchdog));
        builder.reconcileInterval(interval);
        if (watchdog != null) {
            log.atInfo().addKeyValue("watchdog", watchdog.toMillis() + "ms").addKeyValue("reconcile_interval", interval.toMillis() + "ms")
                    .log("systemd's watchdog expects a sign of life every {} ms; each completed reconcile gives one, every {} ms.",
                            watchdog.toMillis(), interval.toMillis());
        }
    }

    /** {@link #RECONCILE_INTERVAL}, or a third of the watchdog's timeout when that is shorter. */
    static Duration reconcileInterval(Optional<Duration> watchdog) {
        return watchdog.map(timeout -> timeout.dividedBy(3)).filter(third -> third.compareTo(RECONCILE_INTERVAL) < 0)
                .orElse(RECONCILE_INTERVAL);
    }

    /** With metrics, has the check providers count the requests their push receivers answer. */
    void countPushRequests(Providers providers) {
        if (metrics != null) {
            providers.publishPushRequestsTo(metrics.pushRequests());
        }
    }

    /** A reload of the configuration starts; {@link #reloaded()} follows, whatever its outcome. */
    void reloading() {
        if (notifier != null) {
            notifier.reloading();
        }
    }

    /** The reload ended: the new configuration runs, or the one before it still does. */
    void reloaded() {
        if (notifier != null) {
            notifier.reloaded();
        }
    }

    /** The daemon is about to withdraw everything and exit. */
    void stopping() {
        if (notifier != null) {
            notifier.stopping();
        }
    }

    /** The port metrics are served on, if they are. */
    Optional<Integer> metricsPort() {
        return server == null ? Optional.empty() : Optional.of(server.getPort());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    private static String hostForUrl(InetSocketAddress address) {
        String host = address.getHostString();
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
