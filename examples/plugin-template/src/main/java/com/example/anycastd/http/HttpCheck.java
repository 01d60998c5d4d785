package com.example.anycastd.http;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import dev.anycastd.core.spi.Options;
import java.util.List;

/**
 * One {@code http} check. Unhealthy when the service answered and said no (a status other than
 * 2xx); unknown when no answer came (refused, timed out, interrupted). Both withdraw the service.
 */
final class HttpCheck implements HealthCheck {

    private final String name;
    private final URI url;
    private final Duration interval;
    private final Duration timeout;
    private final HttpClient client;

    HttpCheck(String name, URI url, Duration interval, Duration timeout, HttpClient client) {
        this.name = name;
        this.url = url;
        this.interval = interval;
        this.timeout = timeout;
        this.client = client;
    }

    @Override
    public String name() {
        return name;
    }

    /** What check-config and logs call this check: its type, its name and what it checks. */
    @Override
    public String describe() {
        return "http " + name + " at " + url;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    /** What {@code anycastd check-config} shows after the description and interval. */
    @Override
    public List<String> settings() {
        return List.of("timeout " + Options.format(timeout));
    }

    /** Never throws for a failed check: every outcome is a {@link Health} value. */
    @Override
    public Health check() {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return status / 100 == 2 ? Health.healthy() : Health.unhealthy(url + " answered HTTP " + status);
        } catch (HttpTimeoutException e) {
            return Health.unknown("no answer from " + url + " within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return Health.unknown("could not reach " + url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            // The runtime interrupts a run that outlives its timeout; give the thread back at once.
            Thread.currentThread().interrupt();
            return Health.unknown("interrupted after the timeout");
        }
    }
}
