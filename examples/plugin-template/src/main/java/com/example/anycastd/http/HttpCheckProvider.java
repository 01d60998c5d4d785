package com.example.anycastd.http;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Options;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/**
 * Check type {@code http}: healthy while a URL answers with a 2xx status.
 *
 * <pre>{@code
 * checks.http = ["http://127.0.0.1:8080/health"]                   # short form: the url
 * checks.http = [{ url = "http://127.0.0.1:8080/health", name = "api", interval = "2s", timeout = "1s" }]
 * }</pre>
 *
 * <p>Options: {@code url} (required, http or https), {@code name} (default: the URL's host and
 * port), {@code interval} (default 5 s, at least 100 ms), {@code timeout} (default 1 s, at most
 * the interval).
 */
public final class HttpCheckProvider implements HealthCheckProvider {

    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    /** One client for every check this provider builds: it keeps connections alive and owns one thread pool. */
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).build();

    @Override
    public String type() {
        return "http";
    }

    /** The runtime reads the short form {@code ["http://..."]} as this option, and calls create() only when it is given. */
    @Override
    public List<String> requiredOptions() {
        return List.of("url");
    }

    /** Validates every option without any I/O: {@code anycastd check-config} runs this on machines without the service. */
    @Override
    public HealthCheck create(Options options) throws ConfigurationException {
        options.requireOnly("url", "name", "interval", "timeout");
        String text = options.getString("url");
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw options.error("url", Options.quote(text) + " is not a URL: " + e.getReason());
        }
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw options.error("url", Options.quote(text) + " is not an http or https URL with a host, e.g. http://127.0.0.1:8080/health");
        }
        String name = options.getString("name", url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()));
        if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
            throw options.error("name", Options.quote(name) + " is not a printable check name");
        }
        Duration interval = options.getInterval("interval", DEFAULT_INTERVAL);
        Duration timeout = options.getDuration("timeout", DEFAULT_TIMEOUT.compareTo(interval) < 0 ? DEFAULT_TIMEOUT : interval);
        if (timeout.compareTo(interval) > 0) {
            throw options.error("timeout", Options.format(timeout) + " is longer than the interval (" + Options.format(interval)
                    + "); a run must end before the next one starts");
        }
        return new HttpCheck(name, url, interval, timeout, client);
    }
}
