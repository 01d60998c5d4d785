package dev.anycastd.daemon;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** Wirings for tests: no real signals, a given configuration source, not a terminal, the fake plugins only in plugin jars. */
final class TestWiring {

    private TestWiring() {
    }

    /** Reads the configuration with {@code source}; {@code termination} receives the run's {@link Termination}. */
    static Wiring with(ConfigurationSource source, AtomicReference<Termination> termination) {
        return new Wiring(source, PluginJar.classPathWithoutFakePlugins(), false, termination::set, Duration.ofSeconds(5));
    }

    /** Reads the configuration with {@code source}; a run would wait forever for a signal. */
    static Wiring with(ConfigurationSource source) {
        return with(source, new AtomicReference<>());
    }
}
