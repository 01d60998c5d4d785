package dev.anycastd.daemon;

import dev.anycastd.config.toml.DaemonSettings;
import dev.anycastd.core.runtime.AnycastRuntime;
import dev.anycastd.core.runtime.ShutdownResult;
import dev.anycastd.core.runtime.UnusablePrefixesException;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.Providers;
import dev.anycastd.daemon.hooks.ChangeHooks;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of {@code anycastd run} once its configuration is read: start the runtime (which
 * first checks that the routing daemon can carry every prefix), run the services until a signal or an internal failure, then
 * withdraw every prefix and answer the exit code.
 */
final class Daemon {

    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    /** How long shutdown waits for on-change hooks still running before it kills them. */
    static final Duration HOOKS_AT_SHUTDOWN = Duration.ofSeconds(5);

    private final List<ServiceDefinition> services;
    private final Wiring wiring;
    private final Monitoring monitoring;

    Daemon(List<ServiceDefinition> services, Wiring wiring) {
        this(services, wiring, Monitoring.none());
    }

    /** @param monitoring metrics and systemd notifications; the caller closes it */
    Daemon(List<ServiceDefinition> services, Wiring wiring, Monitoring monitoring) {
        this.services = List.copyOf(services);
        this.wiring = wiring;
        this.monitoring = monitoring;
    }

    /**
     * Runs until the end and answers the exit code: 0 when every prefix was withdrawn after a
     * signal, 70 after an internal failure or when a prefix may still be announced.
     *
     * @param state where to record what may be announced, or {@code null} for nowhere
     * @param providers what builds the prefixes an earlier run recorded, to withdraw them
     * @param control the control socket, bound already; it answers once the runtime has started
     * @param config the configuration file, read again by {@code anycastd reload} and SIGHUP
     * @param settings the daemon-wide settings {@code config} gave at start, which a reload cannot change
     *
     * @throws VerificationException before anything was announced, when the routing daemon
     *     cannot carry a prefix
     */
    int run(StateDirectory state, Providers providers, ControlServer control, Path config, DaemonSettings settings)
            throws VerificationException {
        Termination termination = new Termination();
        wiring.signals().accept(termination);
        // Spread: a thousand checks of one interval would otherwise all run in the same instant, every interval.
        AnycastRuntime.Builder builder = AnycastRuntime.builder().services(services).shutdownTimeout(wiring.shutdownLimit())
                .spreadChecks(true);
        if (state != null) {
            builder.stateStore(state, providers);
        }
        monitoring.configure(builder);
        monitoring.countPushRequests(providers);
        ChangeHooks hooks = new ChangeHooks();
        hooks.use(services);
        builder.eventListener(hooks);
        AnycastRuntime runtime = builder.build();
        // If the JVM exits by another way (a signal the handlers do not cover, System.exit from a plugin),
        // the prefixes are still withdrawn; shutdown() runs once, so the normal path below is unaffected.
        Thread hook = new Thread(() -> runtime.shutdown(wiring.shutdownLimit()), "anycastd-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        Termination.Cause cause;
        boolean interrupted = false;
        try {
            try {
                runtime.start();
            } catch (UnusablePrefixesException e) {
                // Nothing was announced or withdrawn; closing a runtime that never started only stops its threads.
                removeHook(hook);
                runtime.close();
                throw new VerificationException(e.failures());
            }
            Reload reload = new Reload(runtime, wiring.configuration(), config, providers, monitoring, settings, hooks);
            control.serve(new ControlProtocol(runtime, Clock.systemUTC(), reload)::answer);
            wiring.signalActions().accept("SIGHUP", reload::onSignal);
            wiring.signalActions().accept("SIGURG", () -> {
                log.atInfo().addKeyValue("signal", "SIGURG").log("Received SIGURG, running every check now.");
                runtime.checkNow(List.of());
            });
            cause = termination.await();
        } catch (RuntimeException e) {
            cause = new Termination.Failure(e);
        } catch (InterruptedException e) {
            interrupted = true;
            cause = new Termination.Failure(e);
        }
        if (cause instanceof Termination.Signal signal) {
            log.atInfo().addKeyValue("signal", signal.name()).log("Received {}, terminating.", signal.name());
        } else if (cause instanceof Termination.Failure failure) {
            log.atError().setCause(failure.error())
                    .log("Unexpected internal error, withdrawing every prefix and terminating: {}", failure.error().toString());
        }
        monitoring.stopping();
        ShutdownResult result = runtime.shutdown(wiring.shutdownLimit());
        removeHook(hook);
        interrupted |= !awaitHooks(hooks);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!result.clean()) {
            log.atError().addKeyValue("not_withdrawn", result.notWithdrawn())
                    .log("Terminated, but {} prefixes may still be announced: {}", result.notWithdrawn().size(),
                            String.join("; ", result.notWithdrawn()));
            return ExitCodes.SOFTWARE;
        }
        return cause instanceof Termination.Signal ? ExitCodes.OK : ExitCodes.SOFTWARE;
    }

    /**
     * Waits for on-change hooks still running (the withdrawal at shutdown runs them too), at most
     * {@link #HOOKS_AT_SHUTDOWN}, then kills them: a hook never holds the exit back for long.
     * Returns false when interrupted.
     */
    private static boolean awaitHooks(ChangeHooks hooks) {
        try {
            hooks.close(HOOKS_AT_SHUTDOWN);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook runs, finds shutdown done, and returns at once.
            log.atDebug().log("The JVM is shutting down already.");
        }
    }
}
