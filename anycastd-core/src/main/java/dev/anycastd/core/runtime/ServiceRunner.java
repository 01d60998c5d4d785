package dev.anycastd.core.runtime;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.internal.service.ServiceEvent;
import dev.anycastd.core.internal.service.ServiceState;
import dev.anycastd.core.internal.service.ServiceStateMachine;
import dev.anycastd.core.internal.service.Transition;
import dev.anycastd.core.service.ServiceDefinition;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service at run time: feeds events to its state machine and, whenever the state it wants
 * changes, hands {@link Convergence} its prefixes and what they should be; Convergence owns
 * getting them there (batching, retries).
 *
 * <p>Threads: events arrive from any thread and are applied under {@code this}.
 */
final class ServiceRunner {

    private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

    private final ServiceDefinition definition;
    private final ServiceStateMachine machine;
    private final Clock clock;
    private final Convergence convergence;
    private final Consumer<ServiceStatus> listener;
    private final RuntimeEvents events;
    /** Called once, when every check has given a result. */
    private final Runnable evaluated;

    /** Guarded by {@code this}. */
    private ServiceState state = ServiceState.INITIAL;
    /** Guarded by {@code this}. */
    private String reason = "no check has reported yet";
    /** Guarded by {@code this}: bumped whenever the wanted state changes, so Convergence can tell stale requests. */
    private long generation;
    /** Guarded by {@code this}: once stopping, the runtime withdraws; this runner changes nothing more. */
    private boolean stopping;
    /** Guarded by {@code this}: whether every check has given a result at least once. */
    private boolean wasEvaluated;

    /**
     * @param evaluated called once, outside the lock, when every check of the service has given a result
     */
    ServiceRunner(ServiceDefinition definition, Clock clock, Convergence convergence, Consumer<ServiceStatus> listener,
            RuntimeEvents events, Runnable evaluated) {
        this.definition = definition;
        this.machine = ServiceStateMachine.of(definition);
        this.clock = clock;
        this.convergence = convergence;
        this.listener = listener;
        this.events = events;
        this.evaluated = evaluated;
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

    /** Whether every check of the service has given a result at least once. */
    synchronized boolean evaluated() {
        return wasEvaluated;
    }

    /** Applies an event; when the wanted state changes, logs it and starts bringing the prefixes there. */
    void handle(ServiceEvent event) {
        Transition transition;
        Convergence.Wanted wanted;
        boolean act;
        RuntimeEvent.ServiceCondition from;
        Instant at = clock.instant();
        boolean nowEvaluated = false;
        synchronized (this) {
            from = condition(state);
            transition = machine.on(state, event, at);
            state = transition.state();
            if (!wasEvaluated && state.latest().size() == definition.checks().size()) {
                wasEvaluated = true;
                nowEvaluated = true;
            }
            reason = transition.reason();
            if (transition.changed()) {
                generation++;
            }
            wanted = new Convergence.Wanted(state.announce(), generation);
            act = transition.changed() && !stopping;
        }
        if (transition.changed() && !(event instanceof ServiceEvent.Stop)) {
            logVerdict(transition);
        }
        if (act) {
            convergence.submit(name(), definition.prefixes(), wanted);
        }
        RuntimeEvent.ServiceCondition to = condition(transition.state());
        if (to != from) {
            events.publish(new RuntimeEvent.ServiceChanged(name(), from, to, transition.cause(), transition.reason(), at));
        }
        if (transition.changed()) {
            listener.accept(status());
        }
        if (nowEvaluated) {
            evaluated.run();
        }
    }

    private static RuntimeEvent.ServiceCondition condition(ServiceState state) {
        if (state.drained()) {
            return RuntimeEvent.ServiceCondition.DRAINED;
        }
        return state.announce() ? RuntimeEvent.ServiceCondition.ANNOUNCED : RuntimeEvent.ServiceCondition.WITHDRAWN;
    }

    /** Marks that the runtime is withdrawing everything itself; this runner changes nothing more. */
    void stop() {
        synchronized (this) {
            stopping = true;
        }
        handle(new ServiceEvent.Stop());
    }

    synchronized ServiceStatus status() {
        Map<String, Health> checks = state.latest().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().health()));
        boolean converged = !stopping && convergence.settled(name()).filter(wanted -> wanted.generation() == generation).isPresent();
        return new ServiceStatus(name(), state.healthy(), state.announce(), state.drained(), converged, reason, checks);
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
}
