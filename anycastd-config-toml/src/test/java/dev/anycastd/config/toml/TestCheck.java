package dev.anycastd.config.toml;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import java.net.URI;
import java.time.Duration;

/**
 * Test double: a health check as the configuration described it, comparable by value. It only
 * records configuration; it never runs.
 */
record TestCheck(String name, Duration interval, URI url) implements HealthCheck {

    static final URI DEFAULT_URL = URI.create("http://127.0.0.1:9013");
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    static TestCheck named(String name) {
        return new TestCheck(name, DEFAULT_INTERVAL, DEFAULT_URL);
    }

    @Override
    public Health check() {
        throw new UnsupportedOperationException("a configuration record, not a check");
    }
}
