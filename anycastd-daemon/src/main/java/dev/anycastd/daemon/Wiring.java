package dev.anycastd.daemon;

import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the commands are wired to: the real world in {@link #system()}, stand-ins in tests.
 *
 * @param configuration reads the configuration file
 * @param classLoader where providers are looked for (besides the plugins directory)
 * @param terminal whether standard output is a terminal: human, coloured logs by default
 * @param signals installs what ends {@code anycastd run}: called once with its {@link Termination}
 * @param shutdownLimit how long withdrawing every prefix may take at exit
 * @param signalActions installs an action for a signal that does not end the run ({@code SIGURG}: check now)
 */
record Wiring(ConfigurationSource configuration, ClassLoader classLoader, boolean terminal,
        Consumer<Termination> signals, Duration shutdownLimit, BiConsumer<String, Runnable> signalActions) {

    /** A wiring whose signals end the run only. */
    Wiring(ConfigurationSource configuration, ClassLoader classLoader, boolean terminal, Consumer<Termination> signals,
            Duration shutdownLimit) {
        this(configuration, classLoader, terminal, signals, shutdownLimit, (signal, action) -> { });
    }

    /** This wiring with another bound on withdrawing every prefix at exit. */
    Wiring withShutdownLimit(Duration limit) {
        return new Wiring(configuration, classLoader, terminal, signals, limit, signalActions);
    }

    /** The program as operators run it. */
    static Wiring system() {
        return new Wiring(ConfigurationSource.TOML, Main.class.getClassLoader(), System.console() != null,
                OsSignals::install, Duration.ofSeconds(30), OsSignals::onSignal);
    }
}
