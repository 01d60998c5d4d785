package dev.anycastd.daemon;

import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.RoutingException;
import dev.anycastd.core.runtime.AnycastRuntime;
import dev.anycastd.core.runtime.ShutdownResult;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.Providers;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of {@code anycastd run} once its configuration is read: check that the routing
 * daemon can carry every prefix, run the services until a signal or an internal failure, then
 * withdraw every prefix and answer the exit code.
 */
final class Daemon {

    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

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
     *
     * @throws VerificationException before anything was announced, when the routing daemon
     *     cannot carry a prefix
     */
    int run(StateDirectory state, Providers providers, ControlServer control, Path config) throws VerificationException {
        verify(services);
        Termination termination = new Termination();
        wiring.signals().accept(termination);
        AnycastRuntime.Builder builder = AnycastRuntime.builder().services(services).shutdownTimeout(wiring.shutdownLimit());
        if (state != null) {
            builder.stateStore(state, providers);
        }
        monitoring.configure(builder);
        AnycastRuntime runtime = builder.build();
        // If the JVM exits by another way (a signal the handlers do not cover, System.exit from a plugin),
        // the prefixes are still withdrawn; shutdown() runs once, so the normal path below is unaffected.
        Thread hook = new Thread(() -> runtime.shutdown(wiring.shutdownLimit()), "anycastd-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        Termination.Cause cause;
        boolean interrupted = false;
        try {
            runtime.start();
            Reload reload = new Reload(runtime, wiring.configuration(), config, providers, monitoring);
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
     * Asks every prefix, in every form the service may announce it (its when-down and drain
     * route-maps too), whether its routing daemon can carry it, and reports every one that cannot.
     */
    static void verify(List<ServiceDefinition> services) throws VerificationException {
        List<String> failures = new ArrayList<>();
        for (ServiceDefinition service : services) {
            for (Prefix prefix : service.everyForm()) {
                try {
                    prefix.verify();
                } catch (RoutingException e) {
                    failures.add("service \"" + service.name() + "\", prefix " + prefix.describe() + ": " + e.getMessage());
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new VerificationException(failures);
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
