package dev.anycastd.core.runtime;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.internal.service.Form;
import dev.anycastd.core.internal.service.ServiceEvent;
import dev.anycastd.core.internal.service.ServiceState;
import dev.anycastd.core.internal.service.ServiceStateMachine;
import dev.anycastd.core.internal.service.Transition;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.service.GracefulDrain;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.Options;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
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
    private final ServiceForms forms;
    private final Clock clock;
    private final Convergence convergence;
    private final Consumer<ServiceStatus> listener;
    private final PrefixOperations operations;
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
    /** Guarded by {@code this}: what status shows, since when, and the reason given then. */
    private ServiceStatus.State shown = ServiceStatus.State.STARTING;
    private Instant since;
    private String why = reason;
    /** Guarded by {@code this}: the operator's drain, if drained. */
    private Optional<Drain> drain = Optional.empty();
    /** Guarded by {@code this}: whether every check has given a result at least once. */
    private boolean wasEvaluated;
    /** Guarded by {@code this}: this service's events not yet published, in the order of its state changes. */
    private final Queue<RuntimeEvent> outbox = new ArrayDeque<>();
    /** Held while publishing the outbox, so that one thread at a time delivers and the order holds. */
    private final Object delivering = new Object();
    /** Guarded by {@code this}: the change stopping made, told by the runtime once it has withdrawn. */
    private ServiceChange stopChange;

    /**
     * @param evaluated called once, outside the lock, when every check of the service has given a result
     */
    ServiceRunner(ServiceDefinition definition, Clock clock, Convergence convergence, Consumer<ServiceStatus> listener,
            PrefixOperations operations, RuntimeEvents events, Runnable evaluated) {
        this.definition = definition;
        this.machine = ServiceStateMachine.of(definition);
        this.forms = new ServiceForms(definition);
        this.clock = clock;
        this.convergence = convergence;
        this.listener = listener;
        this.operations = operations;
        this.since = clock.instant();
        this.events = events;
        this.evaluated = evaluated;
    }

    ServiceDefinition definition() {
        return definition;
    }

    String name() {
        return definition.name();
    }

    ServiceForms forms() {
        return forms;
    }

    /** Whether a graceful drain's hold is under way (drained or stopping). */
    synchronized boolean holding() {
        return state.holding();
    }

    /** What the service wants now, as of the current generation. */
    synchronized Convergence.Wanted wanted() {
        return new Convergence.Wanted(machine.form(state), state.heldFrom(), generation, forms);
    }

    /** Ends a graceful drain's hold: the held prefixes are withdrawn. */
    void endHold() {
        handle(new ServiceEvent.HoldEnded());
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

    /**
     * Drains the service (again, when already drained: the newer drain counts). Returns whether
     * that withdrew it; if not, the caller says so, since no verdict line is logged then.
     */
    boolean drain(Drain newDrain) {
        synchronized (this) {
            drain = Optional.of(newDrain);
        }
        return handle(new ServiceEvent.Drain(newDrain.reason())).changed();
    }

    /** Ends a drain, logging it when nothing else does. */
    void resume() {
        boolean wasDrained;
        synchronized (this) {
            wasDrained = drain.isPresent() || state.drained();
            drain = Optional.empty();
        }
        Transition transition = handle(new ServiceEvent.Resume());
        if (wasDrained && !transition.changed()) {
            log.atInfo().addKeyValue("service", name()).addKeyValue("reason", transition.reason())
                    .log("Service \"{}\" is resumed; its prefixes stay withdrawn: {}.", name(), transition.reason());
        }
    }

    synchronized Optional<Drain> currentDrain() {
        return drain;
    }

    /** Whether every check of the service has given a result at least once. */
    synchronized boolean evaluated() {
        return wasEvaluated;
    }

    /** Applies an event; when the wanted state changes, logs it and starts bringing the prefixes there. */
    Transition handle(ServiceEvent event) {
        Transition transition;
        Convergence.Wanted wanted;
        boolean act;
        RuntimeEvent.ServiceCondition from;
        RuntimeEvent.ServiceCondition to;
        ServiceChange change = null;
        Instant at = clock.instant();
        boolean nowEvaluated = false;
        synchronized (this) {
            from = condition(machine.form(state));
            Instant now = at;
            transition = machine.on(state, event, now);
            state = transition.state();
            if (!wasEvaluated && state.latest().size() == definition.checks().size()) {
                wasEvaluated = true;
                nowEvaluated = true;
            }
            reason = transition.reason();
            if (transition.changed()) {
                generation++;
            }
            ServiceStatus.State next = shownState();
            if (next != shown || transition.changed()) {
                shown = next;
                since = now;
                why = transition.reason();
            }
            wanted = new Convergence.Wanted(transition.form(), state.heldFrom(), generation, forms);
            act = transition.changed() && !stopping;
            to = condition(transition.form());
            if (to != from) {
                change = new ServiceChange(name(), from, to, transition.reason(),
                        definition.prefixes().stream().map(Prefix::prefix).toList());
                // Queued under the lock, so this service's events keep the order of its state changes.
                outbox.add(new RuntimeEvent.ServiceChanged(name(), from, to, transition.cause(), transition.reason(), at));
                if (event instanceof ServiceEvent.Stop) {
                    stopChange = change;
                } else if (!transition.changed()) {
                    // Nothing to announce or withdraw (a drain of a withdrawn service): applied as it is.
                    outbox.add(change.applied(null, at));
                }
            }
        }
        if (transition.changed() && !(event instanceof ServiceEvent.Stop)) {
            logVerdict(transition);
        }
        // Before the router call: a listener hears of the change before it hears it was applied.
        deliver();
        if (act) {
            convergence.submit(name(), definition.prefixes(), wanted, change);
        }
        if (transition.changed()) {
            listener.accept(status());
        }
        if (nowEvaluated) {
            evaluated.run();
        }
        return transition;
    }

    /** Guarded by {@code this}. */
    private ServiceStatus.State shownState() {
        Form form = machine.form(state);
        if (form == Form.DRAINING) {
            return ServiceStatus.State.DRAINING;
        }
        if (state.stopped()) {
            return ServiceStatus.State.STOPPING;
        }
        if (state.drained()) {
            return ServiceStatus.State.DRAINED;
        }
        if (form == Form.NORMAL) {
            return ServiceStatus.State.ANNOUNCED;
        }
        if (form == Form.WHEN_DOWN) {
            return ServiceStatus.State.DEGRADED;
        }
        return state.latest().size() < definition.checks().size() ? ServiceStatus.State.STARTING : ServiceStatus.State.WITHDRAWN;
    }

    /** Guarded by {@code this}. */
    private RuntimeEvent.ServiceCondition condition(Form form) {
        return switch (form) {
            case NORMAL -> RuntimeEvent.ServiceCondition.ANNOUNCED;
            case WHEN_DOWN -> RuntimeEvent.ServiceCondition.DEGRADED;
            case DRAINING -> RuntimeEvent.ServiceCondition.DRAINING;
            case WITHDRAWN -> state.drained() ? RuntimeEvent.ServiceCondition.DRAINED : RuntimeEvent.ServiceCondition.WITHDRAWN;
        };
    }

    /**
     * Publishes the events queued in {@link #outbox}, in order. One thread at a time delivers: a
     * thread that finds another delivering waits, and then finds its own events delivered or
     * delivers them, so when this returns every event queued before the call has been published.
     * No lock on the state is held while a listener runs.
     */
    private void deliver() {
        synchronized (delivering) {
            while (true) {
                RuntimeEvent next;
                synchronized (this) {
                    next = outbox.poll();
                }
                if (next == null) {
                    return;
                }
                events.publish(next);
            }
        }
    }

    /**
     * Marks that the runtime is withdrawing everything itself; this runner changes nothing more.
     * Returns the change of condition that makes, if any, for the runtime to tell once withdrawn.
     *
     * @param graceful whether announced prefixes are first held through the drain policy (when
     *     the service has one); the runtime applies the hold itself
     */
    Optional<ServiceChange> stop(boolean graceful) {
        synchronized (this) {
            stopping = true;
        }
        handle(new ServiceEvent.Stop(graceful));
        synchronized (this) {
            return Optional.ofNullable(stopChange);
        }
    }

    synchronized ServiceStatus status() {
        Map<String, Health> checks = state.latest().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().health()));
        boolean converged = !stopping && convergence.settled(name()).filter(wanted -> wanted.generation() == generation).isPresent();
        boolean announce = machine.form(state).announces();
        List<ServiceStatus.PrefixStatus> prefixes = definition.prefixes().stream().map(this::prefixStatus).toList();
        Map<String, ServiceStatus.CheckResult> results = new LinkedHashMap<>();
        for (var check : definition.checks()) {
            ServiceState.Result result = state.latest().get(check.name());
            if (result != null) {
                results.put(check.name(), new ServiceStatus.CheckResult(result.health(), result.at()));
            }
        }
        return new ServiceStatus(name(), state.healthy(), announce, state.drained(), converged, reason, checks,
                shown, since, why, prefixes, results, drain);
    }

    /**
     * The prefix as last seen in the form the service wants now (announced through a route policy,
     * as itself, or withdrawn); its description names that form. A read or change of another form
     * (one the service wanted before) does not count: it says nothing of the form wanted now.
     * Guarded by {@code this}.
     */
    private ServiceStatus.PrefixStatus prefixStatus(Prefix prefix) {
        Prefix shown = wanted().target(prefix).orElse(prefix);
        Optional<PrefixOperations.Seen> seen = operations.lastSeen(shown);
        return new ServiceStatus.PrefixStatus(prefix.prefix().toString(), shown.describe(),
                seen.map(PrefixOperations.Seen::announced), seen.map(PrefixOperations.Seen::at));
    }

    /** The when-down policies of the prefixes, e.g. {@code "203.0.113.53/32 through LAST-RESORT"}. */
    private List<String> whenDownPolicies() {
        List<String> policies = new java.util.ArrayList<>();
        for (int i = 0; i < definition.prefixes().size(); i++) {
            if (definition.whenDown().get(i) instanceof dev.anycastd.core.service.WhenDown.Through through) {
                policies.add(definition.prefixes().get(i).prefix() + " through " + through.routePolicy());
            }
        }
        return policies;
    }

    private void logVerdict(Transition transition) {
        var event = log.atInfo().addKeyValue("service", name())
                .addKeyValue("prefixes", definition.prefixes().stream().map(prefix -> prefix.prefix().toString()).toList())
                .addKeyValue("checks", definition.checks().stream().map(HealthCheck::name).toList())
                .addKeyValue("healthy", transition.state().healthy())
                .addKeyValue("reason", transition.reason());
        event.addKeyValue("form", transition.form().name().toLowerCase(java.util.Locale.ROOT));
        switch (transition.form()) {
            case NORMAL -> event.log("Service \"{}\" is now considered healthy, announcing related prefixes.", name());
            case WHEN_DOWN -> event.addKeyValue("when_down", whenDownPolicies())
                    .log("Service \"{}\" is now considered unhealthy, keeping related prefixes announced through their"
                            + " when-down route policies ({}) as a last resort: {}.", name(), String.join(", ", whenDownPolicies()),
                            transition.reason());
            case DRAINING -> {
                String policy = definition.gracefulDrain().map(GracefulDrain::routePolicy).orElse("");
                String hold = definition.gracefulDrain().map(drain -> Options.format(drain.hold())).orElse("");
                event.addKeyValue("drain_route_policy", policy).addKeyValue("drain_hold", hold)
                        .log("Service \"{}\" is drained gracefully: announcing related prefixes through route policy {} for {}"
                                + " before withdrawing them.", name(), policy, hold);
            }
            case WITHDRAWN -> {
                if (transition.state().stopped()) {
                    event.log("The drain hold of service \"{}\" ended; denouncing related prefixes.", name());
                } else if (transition.state().drained()) {
                    event.log("Service \"{}\" is drained, denouncing related prefixes.", name());
                } else {
                    event.log("Service \"{}\" is now considered unhealthy, denouncing related prefixes: {}.", name(),
                            transition.reason());
                }
            }
        }
    }
}
