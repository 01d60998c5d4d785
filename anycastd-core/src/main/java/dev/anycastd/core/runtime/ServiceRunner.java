package dev.anycastd.core.runtime;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.service.ServiceEvent;
import dev.anycastd.core.service.ServiceState;
import dev.anycastd.core.service.ServiceStateMachine;
import dev.anycastd.core.service.Transition;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service at run time: feeds events to its state machine and asks {@link Convergence} to
 * bring its prefixes to the state the machine wants, retrying with capped backoff until they
 * get there or the wanted state changes.
 *
 * <p>Threads: events arrive from any thread and are applied under {@code this}.
 * {@link #applied} is called only by the convergence drain, one call at a time, and is the
 * only user of {@link #backoff}.
 */
final class ServiceRunner {

    private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

    private final ServiceDefinition definition;
    private final ServiceStateMachine machine;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Convergence convergence;
    private final RuntimeSettings settings;
    private final Consumer<ServiceStatus> listener;

    /** Guarded by {@code this}. */
    private ServiceState state = ServiceState.INITIAL;
    /** Guarded by {@code this}. */
    private String reason = "no check has reported yet";
    /** Guarded by {@code this}: bumped whenever the wanted state changes; stale work checks it and stops. */
    private long generation;
    /** Guarded by {@code this}: whether the prefixes were last seen in the wanted state. */
    private boolean converged;
    /** Guarded by {@code this}: once stopping, the runtime withdraws; this runner changes nothing more. */
    private boolean stopping;

    /** Convergence drain only: the delay before the next retry, or null when the last attempt succeeded. */
    private Duration backoff;

    ServiceRunner(ServiceDefinition definition, Clock clock, ScheduledExecutorService scheduler,
            Convergence convergence, RuntimeSettings settings, Consumer<ServiceStatus> listener) {
        this.definition = definition;
        this.machine = ServiceStateMachine.of(definition);
        this.clock = clock;
        this.scheduler = scheduler;
        this.convergence = convergence;
        this.settings = settings;
        this.listener = listener;
    }

    ServiceDefinition definition() {
        return definition;
    }

    String name() {
        return definition.name();
    }

    /** A check finished: evaluates, after logging a change of the check's own health at debug. */
    void checkCompleted(HealthCheck check, Health health) {
        if (log.isDebugEnabled()) {
            logCheckChange(check, health);
        }
        handle(new ServiceEvent.CheckCompleted(check.name(), health));
    }

    private void logCheckChange(HealthCheck check, Health health) {
        Health previous;
        synchronized (this) {
            ServiceState.Result result = state.latest().get(check.name());
            previous = result == null ? null : result.health();
        }
        // Debug only: the verdict line names the failing check and its reason, and adapters log
        // their own outcome changes with the facts (URL, status); a third line would be noise.
        if (previous == null || previous.getClass() != health.getClass()) {
            log.atDebug().addKeyValue("service", name()).addKeyValue("check", check.name())
                    .addKeyValue("health", health.describe())
                    .log("Check \"{}\" of service \"{}\" is {}.", check.name(), name(), health.describe());
        }
    }

    /** Applies an event; when the wanted state changes, logs it and starts bringing the prefixes there. */
    void handle(ServiceEvent event) {
        Transition transition;
        long wantedGeneration;
        boolean act;
        synchronized (this) {
            transition = machine.on(state, event, clock.instant());
            state = transition.state();
            reason = transition.reason();
            if (transition.changed()) {
                generation++;
                converged = false;
            }
            wantedGeneration = generation;
            act = transition.changed() && !stopping;
        }
        if (transition.changed() && !(event instanceof ServiceEvent.Stop)) {
            logVerdict(transition);
        }
        if (act) {
            convergence.submit(this, definition.prefixes(), wantedGeneration);
        }
        if (transition.changed()) {
            listener.accept(status());
        }
    }

    /** Brings {@code prefixes} to the wanted state, e.g. after drift was found or a start-up withdrawal failed. */
    void repair(List<Prefix> prefixes) {
        long wantedGeneration;
        synchronized (this) {
            if (stopping) {
                return;
            }
            converged = false;
            wantedGeneration = generation;
        }
        convergence.submit(this, prefixes, wantedGeneration);
    }

    /**
     * The runtime withdrew every prefix at start-up; {@code failed} are those it could not.
     * They are retried like any other failed operation.
     */
    void startedWithdrawn(List<Prefix> failed) {
        if (!failed.isEmpty()) {
            repair(failed);
            return;
        }
        synchronized (this) {
            converged = converged || generation == 0;
        }
    }

    /** Marks that the runtime is withdrawing everything itself; this runner changes nothing more. */
    void stop() {
        synchronized (this) {
            stopping = true;
        }
        handle(new ServiceEvent.Stop());
    }

    /** The wanted state and its generation, or empty when an operation is still under way. */
    synchronized java.util.Optional<Wanted> settled() {
        return converged && !stopping ? java.util.Optional.of(new Wanted(state.announce(), generation)) : java.util.Optional.empty();
    }

    /** Whether {@code wanted} is still the current wanted state. */
    synchronized boolean stillWanted(Wanted wanted) {
        return !stopping && generation == wanted.generation();
    }

    synchronized ServiceStatus status() {
        Map<String, Health> checks = state.latest().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().health()));
        return new ServiceStatus(name(), state.healthy(), state.announce(), state.drained(), converged, reason, checks);
    }

    /** Whether the prefixes should be announced, if {@code wantedGeneration} is still the wanted state. */
    synchronized java.util.Optional<Boolean> wantedAt(long wantedGeneration) {
        return wantedGeneration == generation && !stopping ? java.util.Optional.of(state.announce()) : java.util.Optional.empty();
    }

    /**
     * Convergence drain only: the outcome of bringing some prefixes to the state wanted at
     * {@code wantedGeneration}. Failures are retried after a growing delay.
     */
    void applied(long wantedGeneration, boolean announce, Map<Prefix, String> failures) {
        if (failures.isEmpty()) {
            if (backoff != null) {
                log.atInfo().addKeyValue("service", name()).addKeyValue("announce", announce)
                        .log("Prefixes of service \"{}\" are {} after earlier failures.", name(), announce ? "announced" : "withdrawn");
            }
            backoff = null;
            boolean nowConverged;
            synchronized (this) {
                nowConverged = wantedGeneration == generation && !converged;
                converged = converged || nowConverged;
            }
            if (nowConverged) {
                listener.accept(status());
            }
            return;
        }
        Duration delay = backoff == null ? settings.retryMin() : min(backoff.multipliedBy(2), settings.retryMax());
        var event = backoff == null ? log.atWarn() : log.atDebug();
        event.addKeyValue("service", name())
                .addKeyValue("prefixes", failures.keySet().stream().map(Prefix::describe).toList())
                .addKeyValue("retry_in", delay.toMillis() + "ms")
                .log("Could not {} prefixes of service \"{}\", retrying in {} ms: {}", announce ? "announce" : "withdraw",
                        name(), delay.toMillis(), failures.entrySet().stream()
                                .map(failure -> failure.getKey().describe() + ": " + failure.getValue())
                                .collect(Collectors.joining("; ")));
        backoff = delay;
        List<Prefix> failed = List.copyOf(failures.keySet());
        scheduler.schedule(() -> convergence.submit(this, failed, wantedGeneration), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void logVerdict(Transition transition) {
        var event = log.atInfo().addKeyValue("service", name())
                .addKeyValue("prefixes", definition.prefixes().stream().map(prefix -> prefix.prefix().toString()).toList())
                .addKeyValue("checks", definition.checks().stream().map(HealthCheck::name).toList())
                .addKeyValue("healthy", transition.state().healthy())
                .addKeyValue("reason", transition.reason());
        if (transition.announce()) {
            event.log("Service \"{}\" is now considered healthy, announcing related prefixes.", name());
        } else if (transition.state().drained()) {
            event.log("Service \"{}\" is drained, denouncing related prefixes.", name());
        } else {
            event.log("Service \"{}\" is now considered unhealthy, denouncing related prefixes: {}.", name(), transition.reason());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** A wanted state as of one generation. */
    record Wanted(boolean announce, long generation) {
    }
}
