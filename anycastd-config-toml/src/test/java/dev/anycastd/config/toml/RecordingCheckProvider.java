package dev.anycastd.config.toml;

import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Options;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Test double for the {@code cabourotte} provider: validates its options the way the real one
 * must (a name, an http URL, an interval of at least 100 ms) and keeps every {@link Options} it was given,
 * but builds {@link TestCheck} records instead of checks that call Cabourotte. Not
 * thread-safe; one per test.
 */
final class RecordingCheckProvider implements HealthCheckProvider {

    private final List<Options> received = new ArrayList<>();

    @Override
    public String type() {
        return "cabourotte";
    }

    @Override
    public List<String> requiredOptions() {
        return List.of("name");
    }

    @Override
    public TestCheck create(Options options) throws ConfigurationException {
        received.add(options);
        options.requireOnly("name", "url", "interval");
        String name = options.getString("name");
        if (name.isBlank()) {
            throw options.error("name", "the check name is empty; give the name of the check in Cabourotte");
        }
        return new TestCheck(name, options.getInterval("interval", TestCheck.DEFAULT_INTERVAL), url(options));
    }

    private static URI url(Options options) throws ConfigurationException {
        String text = options.getString("url", TestCheck.DEFAULT_URL.toString());
        try {
            URI url = new URI(text);
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw options.error("url", "\"" + text + "\" is not an http URL; expected e.g. http://127.0.0.1:9013");
            }
            return url;
        } catch (URISyntaxException e) {
            throw options.error("url", "\"" + text + "\" is not an http URL; expected e.g. http://127.0.0.1:9013");
        }
    }

    /** The options of every item, in the order they were built. */
    List<Options> received() {
        return received;
    }
}
