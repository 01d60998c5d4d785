package dev.anycastd.core.runtime;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.internal.service.ServiceEvent;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.PrefixRecord;
import dev.anycastd.core.service.GracefulDrain;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Location;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.Providers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs services: each check at its own interval, each verdict applied to the service's
 * prefixes, and what the routing daemons really have compared with what they should have at
 * every reconcile interval. This is what the daemon runs, and what a program embedding
 * anycastd builds in code:
 *
 * <pre>{@code
 * try (AnycastRuntime runtime = AnycastRuntime.builder()
 *         .service(new ServiceDefinition("dns", List.of(prefix), List.of(check)))
 *         .build()) {
 *     runtime.start();
 *     ...
 * } // close() withdraws every prefix
 * }</pre>
 *
 * <p>At {@link #start()} every prefix is withdrawn first: what a routing daemon has from
 * before (a crash, a saved configuration) must not attract traffic before the checks pass.
 * {@link #shutdown(Duration)} withdraws every prefix and says which it could not.
 *
 * <p>Thread-safe. Check intervals, the time limits of checks and routing-daemon calls, retries
 * and reconciles run on the builder's scheduler, and results are timed with its clock, so tests
 * can drive them. Two bounds are measured in real time ({@link System#nanoTime()}): shutdown's,
 * and what is left of a batch's time limit for its one-by-one fallback; they guard against a
 * stuck process, which no test clock should hold back.
 */
public final class AnycastRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AnycastRuntime.class);

    /** The longest a check's first run waits when checks are spread ({@link Builder#spreadChecks}). */
    static final Duration LONGEST_SPREAD = Duration.ofSeconds(1);

    /**
     * The services and their checks, in configuration order. Replaced as a whole, under
     * {@code reconfiguring}, by {@link #reconfigure}; read without a lock.
     */
    private volatile Map<String, ServiceRunner> services;
    private volatile List<CheckRunner> checks;
    /** Held while the services are replaced; one reconfiguration at a time. */
    private final Object reconfiguring = new Object();
    private final Consumer<ServiceStatus> listener;
    /** Each check's timer, so that a reconfiguration can stop a removed check's; guarded by {@code timers}. */
    private final Map<CheckRunner, ScheduledFuture<?>> checkTimers = new java.util.HashMap<>();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    /**
     * Where {@link Convergence} makes its router calls: with the runtime's own executors, a thread of
     * their own, so a change never queues behind the check runs of the same tick.
     */
    private final ExecutorService routerCalls;
    private final boolean ownsExecutors;
    private final PrefixOperations operations;
    private final AnnouncementRecord record;
    private final DrainRecord drains;
    private final Clock clock;
    /** Timers that end drains given a duration, by service; guarded by itself. */
    private final Map<String, ScheduledFuture<?>> drainTimers = new java.util.HashMap<>();
    /** Timers that end graceful drains' holds, by service; guarded by itself. */
    private final Map<String, ScheduledFuture<?>> holdTimers = new java.util.HashMap<>();
    /** When ({@link System#nanoTime()}) each hold under way ends, for shutdown; guarded by itself. */
    private final Map<String, Long> holdEnds = new java.util.HashMap<>();
    /** What the last reconcile found; null before the first. */
    private volatile ReconcileOutcome lastReconcile;
    /** Builds recorded prefixes again, or {@code null} without a state store. */
    private final Providers providers;
    /**
     * Prefixes an earlier run announced that the configuration no longer names and that could not
     * be withdrawn yet; retried at each reconcile. Guarded by itself.
     */
    private final List<Prefix> leftovers = new ArrayList<>();
    private final Convergence convergence;
    private final RuntimeSettings settings;
    private final boolean spreadChecks;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean reconciling = new AtomicBoolean();
    /** Set by anyone who wants a reconcile; the reconcile loop runs again while it is set. */
    private final AtomicBoolean reconcileRequested = new AtomicBoolean();
    /** Set once a reconcile found every service evaluated and the routing daemons holding what they should. */
    private final AtomicBoolean converged = new AtomicBoolean();
    private final RuntimeEvents events;
    /** Set once by {@link #shutdown}; later calls return it. Guarded by {@code this}. */
    private ShutdownResult shutdownResult;

    private AnycastRuntime(Builder builder) {
        this.settings = new RuntimeSettings(builder.operationTimeout, builder.retryMin, builder.retryMax,
                builder.reconcileInterval, builder.shutdownTimeout);
        this.ownsExecutors = builder.scheduler == null;
        this.spreadChecks = builder.spreadChecks;
        this.scheduler = builder.scheduler != null ? builder.scheduler : defaultScheduler();
        this.workers = builder.workers != null ? builder.workers
                : Executors.newFixedThreadPool(builder.workerThreads, threads("anycastd-worker"));
        this.routerCalls = ownsExecutors ? Executors.newSingleThreadExecutor(threads("anycastd-router")) : workers;
        TimeLimit timeLimit = new TimeLimit(scheduler);
        this.clock = builder.clock;
        this.events = new RuntimeEvents(builder.eventListeners);
        this.record = new AnnouncementRecord(builder.stateStore);
        this.drains = new DrainRecord(builder.stateStore);
        this.providers = builder.providers;
        this.operations = new PrefixOperations(timeLimit, settings.operationTimeout(), record, this::reconcileSoon, builder.clock,
                events);
        this.listener = safe(builder.listener);
        this.convergence = new Convergence(routerCalls, scheduler, operations, settings, name -> {
            ServiceRunner runner = services.get(name);
            if (runner != null) {
                listener.accept(runner.status());
            }
            reconcileOnceConverged();
        }, events, clock);
        requireValid(builder.services);
        Map<String, ServiceRunner> runners = new LinkedHashMap<>();
        List<CheckRunner> checkRunners = new ArrayList<>();
        for (ServiceDefinition definition : builder.services) {
            ServiceRunner runner = newRunner(definition);
            runners.put(definition.name(), runner);
            checkRunners.addAll(checkRunners(runner));
        }
        this.services = java.util.Collections.unmodifiableMap(runners);
        this.checks = List.copyOf(checkRunners);
    }

    /** Unique names, and each prefix in one service only. */
    private static void requireValid(List<ServiceDefinition> definitions) {
        Set<String> names = new HashSet<>();
        Map<String, String> owners = new java.util.HashMap<>();
        for (ServiceDefinition definition : definitions) {
            if (!names.add(definition.name())) {
                throw new IllegalArgumentException("two services are named \"" + definition.name() + "\"");
            }
            for (Prefix prefix : definition.prefixes()) {
                String owner = owners.putIfAbsent(announcement(prefix), definition.name());
                if (owner != null) {
                    // Two owners would undo each other's announcements and withdrawals at every change and repair.
                    throw new IllegalArgumentException("services \"" + owner + "\" and \"" + definition.name()
                            + "\" both announce " + prefix.prefix() + " (" + prefix.announcedIn() + ")");
                }
            }
        }
    }

    private ServiceRunner newRunner(ServiceDefinition definition) {
        return new ServiceRunner(definition, clock, convergence, listener, operations, events, this::reconcileOnceConverged);
    }

    private List<CheckRunner> checkRunners(ServiceRunner runner) {
        return runner.definition().checks().stream().map(check -> new CheckRunner(runner, check, workers, scheduler, clock, events))
                .toList();
    }

    /** A builder with the defaults the daemon uses. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Asks every prefix whether its routing daemon can carry it ({@link Prefix#verify()}), withdraws
     * every prefix (bounded by the operation timeout; failures are retried in the background), then
     * starts running the checks. Blocks the caller for the verification and that first withdrawal;
     * returns without waiting for any check. A runtime starts once.
     *
     * @throws UnusablePrefixesException when a prefix's verification fails; nothing was changed at
     *     any routing daemon, and the runtime may be started again once the cause is fixed
     * @throws IllegalStateException if already started
     */
    public void start() {
        if (started.get()) {
            throw new IllegalStateException("the runtime was already started");
        }
        PrefixVerification.requireUsable(services.values().stream().map(ServiceRunner::definition).toList());
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the runtime was already started");
        }
        for (ServiceRunner service : services.values()) {
            ServiceDefinition definition = service.definition();
            log.atInfo().addKeyValue("service", definition.name())
                    .addKeyValue("prefixes", definition.prefixes().stream().map(prefix -> prefix.prefix().toString()).toList())
                    .addKeyValue("checks", definition.checks().stream().map(HealthCheck::name).toList())
                    .addKeyValue("healthy", false)
                    .log("Starting service \"{}\".", definition.name());
        }
        // Before anything is announced: a drained service must not be announced even for a moment.
        applyRecordedDrains();
        List<Prefix> earlier = leftoversOfEarlierRuns();
        List<Prefix> withdrawing = new ArrayList<>(allPrefixes());
        withdrawing.addAll(earlier);
        Map<Prefix, String> failed = operations.apply(withdrawing, false);
        withdrewLeftovers(earlier, failed);
        for (ServiceRunner service : services.values()) {
            List<Prefix> own = service.definition().prefixes().stream().filter(failed::containsKey).toList();
            if (!own.isEmpty()) {
                log.atWarn().addKeyValue("service", service.name())
                        .addKeyValue("prefixes", own.stream().map(Prefix::describe).toList())
                        .log("Could not withdraw the prefixes of service \"{}\" at start-up; retrying: {}", service.name(),
                                own.stream().map(prefix -> prefix.describe() + ": " + failed.get(prefix)).toList());
            }
            convergence.started(service.name(), own, service.forms());
        }
        for (CheckRunner check : checks) {
            check.acceptPushes();
        }
        synchronized (timers) {
            for (CheckRunner check : checks) {
                schedule(check);
            }
            long reconcile = settings.reconcileInterval().toNanos();
            timers.add(scheduler.scheduleAtFixedRate(this::startReconcile, reconcile, reconcile, TimeUnit.NANOSECONDS));
        }
    }

    /**
     * Runs {@code check} at its interval, the first time now or, when checks are spread, after a
     * random part of its interval (at most {@link #LONGEST_SPREAD}); under {@code timers}.
     */
    private void schedule(CheckRunner check) {
        long interval = check.check().interval().toNanos();
        long first = spreadChecks ? ThreadLocalRandom.current().nextLong(Math.min(interval, LONGEST_SPREAD.toNanos())) : 0;
        checkTimers.put(check, scheduler.scheduleAtFixedRate(check, first, interval, TimeUnit.NANOSECONDS));
    }

    /**
     * Runs {@code definitions} from now on, changing only what differs from the services running:
     * a service whose definition is {@linkplain ServiceDefinition#sameAs the same} keeps running
     * untouched (its prefixes are neither withdrawn nor announced again); a removed service's
     * prefixes are withdrawn; a new service starts as at start-up (its prefixes withdrawn until
     * its checks pass); a changed one is the old one removed and the new one added, in one step.
     * A drain follows its service by name. Prefixes an earlier run or configuration announced
     * that no service names now are withdrawn, and retried at each reconcile if that fails.
     *
     * @throws IllegalArgumentException when two services share a name or a prefix; nothing is
     *     changed then
     * @throws UnusablePrefixesException when a routing daemon cannot carry a prefix of
     *     {@code definitions} ({@link Prefix#verify()} failed); nothing is changed then
     * @throws IllegalStateException when the runtime is shutting down
     */
    public Reconfiguration reconfigure(List<ServiceDefinition> definitions) {
        synchronized (reconfiguring) {
            if (stopped.get()) {
                throw new IllegalStateException("the runtime is shutting down");
            }
            requireValid(definitions);
            PrefixVerification.requireUsable(definitions);
            Map<String, ServiceRunner> old = services;
            Map<String, ServiceRunner> next = new LinkedHashMap<>();
            List<String> added = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            List<String> unchanged = new ArrayList<>();
            List<ServiceRunner> starting = new ArrayList<>();
            for (ServiceDefinition definition : definitions) {
                ServiceRunner running = old.get(definition.name());
                if (running != null && running.definition().sameAs(definition)) {
                    unchanged.add(definition.name());
                    next.put(definition.name(), running);
                    if (started.get()) {
                        // The running service keeps its own checks; these copies are never run.
                        definition.checks().stream().filter(check -> !running.definition().checks().contains(check))
                                .forEach(AnycastRuntime::closeCheck);
                    }
                    continue;
                }
                (running == null ? added : changed).add(definition.name());
                ServiceRunner runner = newRunner(definition);
                next.put(definition.name(), runner);
                starting.add(runner);
            }
            List<ServiceRunner> retiring = old.values().stream().filter(runner -> next.get(runner.name()) != runner).toList();
            List<String> removed = retiring.stream().map(ServiceRunner::name).filter(name -> !next.containsKey(name)).toList();
            if (!started.get()) {
                swap(next);
                return logged(new Reconfiguration(added, removed, changed, unchanged));
            }
            retire(retiring);
            swap(next);
            // Withdrawn in one call: what the retired services had that no service names now, earlier
            // runs' leftovers, and every prefix of the new services, as at start-up.
            Set<String> configured = new HashSet<>();
            next.values().forEach(runner -> runner.definition().prefixes().forEach(prefix -> configured.add(announcement(prefix))));
            List<Prefix> gone = retiring.stream().flatMap(runner -> runner.definition().prefixes().stream())
                    .filter(prefix -> !configured.contains(announcement(prefix))).toList();
            Set<String> goneAnnouncements = new HashSet<>();
            gone.forEach(prefix -> goneAnnouncements.add(announcement(prefix)));
            // The record names the retired services' prefixes too; each is withdrawn once.
            List<Prefix> earlier = leftoversOfEarlierRuns().stream()
                    .filter(prefix -> !goneAnnouncements.contains(announcement(prefix))).toList();
            List<Prefix> withdrawing = new ArrayList<>(gone);
            withdrawing.addAll(earlier);
            starting.forEach(runner -> withdrawing.addAll(runner.definition().prefixes()));
            Map<Prefix, String> failed = operations.apply(withdrawing, false);
            withdrewLeftovers(earlier, failed);
            for (Prefix prefix : gone) {
                String error = failed.get(prefix);
                if (error == null) {
                    log.atInfo().addKeyValue("prefix", prefix.describe())
                            .log("Withdrew {}: the configuration no longer names it.", prefix.describe());
                } else {
                    log.atWarn().addKeyValue("prefix", prefix.describe()).addKeyValue("error", error)
                            .log("Could not withdraw {}, which the configuration no longer names; retrying at each reconcile: {}",
                                    prefix.describe(), error);
                    synchronized (leftovers) {
                        leftovers.add(prefix);
                    }
                }
            }
            for (String name : removed) {
                if (drains.remove(name)) {
                    cancelDrainTimer(name);
                }
            }
            for (ServiceRunner runner : starting) {
                log.atInfo().addKeyValue("service", runner.name())
                        .addKeyValue("prefixes", runner.definition().prefixes().stream().map(prefix -> prefix.prefix().toString()).toList())
                        .addKeyValue("checks", runner.definition().checks().stream().map(HealthCheck::name).toList())
                        .addKeyValue("healthy", false)
                        .log("Starting service \"{}\".", runner.name());
                convergence.started(runner.name(), runner.definition().prefixes().stream().filter(failed::containsKey).toList(),
                        runner.forms());
                Optional<Drain> drain = drains.current(runner.name());
                if (drain.isPresent()) {
                    runner.drain(drain.get());
                    drain.get().until().ifPresent(until -> endDrainAt(runner, drain.get(), until));
                }
            }
            List<CheckRunner> newChecks = new ArrayList<>();
            next.values().forEach(runner -> checks.stream().filter(check -> check.service() == runner).forEach(newChecks::add));
            synchronized (timers) {
                for (ServiceRunner runner : starting) {
                    for (CheckRunner check : checkRunners(runner)) {
                        newChecks.add(check);
                        check.acceptPushes();
                        schedule(check);
                    }
                }
            }
            checks = List.copyOf(newChecks);
            return logged(new Reconfiguration(added, removed, changed, unchanged));
        }
    }

    private void swap(Map<String, ServiceRunner> next) {
        services = java.util.Collections.unmodifiableMap(next);
        if (!started.get()) {
            List<CheckRunner> all = new ArrayList<>();
            next.values().forEach(runner -> all.addAll(checkRunners(runner)));
            checks = List.copyOf(all);
        }
    }

    /**
     * Stops services a reconfiguration replaces: no more changes from them, their checks stopped
     * and closed, and what Convergence still had of them dropped once no operation is running,
     * so that none of theirs can follow the withdrawal.
     */
    private void retire(List<ServiceRunner> retiring) {
        for (ServiceRunner runner : retiring) {
            runner.stop(false);
            cancelDrainTimer(runner.name());
            cancelTimer(holdTimers, runner.name());
            forgetHoldEnd(runner.name());
            convergence.forget(runner.name());
        }
        synchronized (timers) {
            for (CheckRunner check : checks) {
                if (retiring.contains(check.service())) {
                    ScheduledFuture<?> timer = checkTimers.remove(check);
                    if (timer != null) {
                        timer.cancel(false);
                    }
                    closeCheck(check.check());
                }
            }
        }
        try {
            if (!convergence.awaitIdle(settings.operationTimeout())) {
                log.atWarn().log("Prefix operations were still running at the reconfiguration; going on.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Reconfiguration logged(Reconfiguration reconfiguration) {
        reconfiguration.added().forEach(name -> log.atInfo().addKeyValue("service", name).addKeyValue("change", "added")
                .log("Service \"{}\" was added to the configuration; starting it.", name));
        reconfiguration.removed().forEach(name -> log.atInfo().addKeyValue("service", name).addKeyValue("change", "removed")
                .log("Service \"{}\" was removed from the configuration; withdrawing its prefixes.", name));
        reconfiguration.changed().forEach(name -> log.atInfo().addKeyValue("service", name).addKeyValue("change", "changed")
                .log("Service \"{}\" was changed in the configuration; replacing it.", name));
        return reconfiguration;
    }

    private static void closeCheck(HealthCheck check) {
        try {
            check.close();
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("check", check.name())
                    .log("Closing check \"{}\" failed: {}", check.name(), e.toString());
        }
    }

    /** A snapshot of every service, in definition order. */
    public List<ServiceStatus> status() {
        return services.values().stream().map(ServiceRunner::status).toList();
    }

    /** A snapshot of one service. */
    public ServiceStatus status(String service) {
        return runner(service).status();
    }

    /** Withdraws a service's prefixes whatever its health, until {@link #resume}. */
    public void drain(String service) {
        drain(service, Optional.empty(), "");
    }

    /**
     * Withdraws a service's prefixes whatever its health, until {@link #resume} or, with a
     * duration, until that has passed. The drain is recorded in the state store first, so it
     * outlives a restart or a crash; draining a drained service replaces its drain.
     *
     * @param duration how long the drain lasts; empty for until resumed
     * @param reason what the operator says, for status and logs; may be empty
     * @return the drain as applied
     * @throws IllegalArgumentException when no service has that name or the duration is not
     *     positive; nothing is changed then
     */
    public Drain drain(String service, Optional<Duration> duration, String reason) {
        // Under the reconfiguration lock: a drain must reach the runner a reload puts in place.
        synchronized (reconfiguring) {
            ServiceRunner runner = runner(service);
            duration.filter(length -> length.isNegative() || length.isZero()).ifPresent(length -> {
                throw new IllegalArgumentException("a drain's duration must be positive, got " + length);
            });
            Instant now = clock.instant();
            Drain drain = new Drain(reason, now, duration.map(now::plus));
            drains.put(service, drain);
            cancelDrainTimer(service);
            boolean holdingBefore = runner.holding();
            if (!runner.drain(drain)) {
                log.atInfo().addKeyValue("service", service).addKeyValue("reason", drain.reason())
                        .log(holdingBefore ? "Service \"{}\" is drained; its drain hold goes on."
                                : "Service \"{}\" is drained; its prefixes were withdrawn already.", service);
            }
            if (runner.holding() && !holdingBefore) {
                endHoldAfter(runner, runner.definition().gracefulDrain().orElseThrow().hold());
            }
            drain.until().ifPresent(until -> endDrainAt(runner, drain, until));
            return drain;
        }
    }

    /**
     * Ends a drain: the service is announced again if healthy. Resuming a service that is not
     * drained changes nothing.
     *
     * @throws IllegalArgumentException when no service has that name
     */
    public void resume(String service) {
        synchronized (reconfiguring) {
            ServiceRunner runner = runner(service);
            drains.remove(service);
            cancelDrainTimer(service);
            cancelTimer(holdTimers, service);
            forgetHoldEnd(service);
            runner.resume();
        }
    }

    /**
     * Runs every check of the named services now (every service when none is named), whatever
     * their intervals, and feeds the results to the services as any run. A check that is
     * running already is not started twice; its run's result counts.
     *
     * @return each service's checks and their results, by service and check name, once every
     *     check has a result (unknown at its timeout)
     * @throws IllegalArgumentException when a name is not a service's; nothing is run then
     */
    public CompletableFuture<Map<String, Map<String, Health>>> checkNow(List<String> serviceNames) {
        List<String> names = serviceNames.isEmpty() ? List.copyOf(services.keySet()) : List.copyOf(serviceNames);
        names.forEach(this::runner);
        Map<String, Map<String, CompletableFuture<Health>>> running = new LinkedHashMap<>();
        for (CheckRunner check : checks) {
            if (names.contains(check.service().name())) {
                running.computeIfAbsent(check.service().name(), name -> new LinkedHashMap<>())
                        .put(check.check().name(), check.runNow());
            }
        }
        CompletableFuture<?>[] all = running.values().stream().flatMap(map -> map.values().stream())
                .toArray(CompletableFuture<?>[]::new);
        return CompletableFuture.allOf(all).thenApply(done -> {
            Map<String, Map<String, Health>> results = new LinkedHashMap<>();
            for (String name : names) {
                Map<String, Health> own = new LinkedHashMap<>();
                running.getOrDefault(name, Map.of()).forEach((check, result) -> own.put(check, result.join()));
                results.put(name, java.util.Collections.unmodifiableMap(own));
            }
            return java.util.Collections.unmodifiableMap(results);
        });
    }

    /** What the last reconcile found; empty before the first one. */
    public Optional<ReconcileOutcome> lastReconcile() {
        return Optional.ofNullable(lastReconcile);
    }

    /** Drains the services an earlier run recorded as drained; forgets drains that ran out or name no service. */
    private void applyRecordedDrains() {
        Instant now = clock.instant();
        for (Map.Entry<String, Drain> recorded : drains.load().entrySet()) {
            String name = recorded.getKey();
            Drain drain = recorded.getValue();
            ServiceRunner runner = services.get(name);
            if (runner == null || drain.expiredAt(now)) {
                log.atInfo().addKeyValue("service", name)
                        .log("Forgetting the recorded drain of service \"{}\": {}.", name,
                                runner == null ? "no service of that name is configured" : "it ran out");
                drains.remove(name);
                continue;
            }
            log.atInfo().addKeyValue("service", name).addKeyValue("reason", drain.reason())
                    .addKeyValue("until", drain.until().map(Instant::toString).orElse("resumed"))
                    .log("Service \"{}\" stays drained, as recorded by an earlier run.", name);
            runner.drain(drain);
            drain.until().ifPresent(until -> endDrainAt(runner, drain, until));
        }
    }

    private void endDrainAt(ServiceRunner runner, Drain drain, Instant until) {
        long delay = Math.max(0, Duration.between(clock.instant(), until).toNanos());
        synchronized (drainTimers) {
            drainTimers.put(runner.name(), scheduler.schedule(() -> {
                if (stopped.get() || !runner.currentDrain().filter(drain::equals).isPresent()) {
                    return;
                }
                log.atInfo().addKeyValue("service", runner.name())
                        .log("The drain of service \"{}\" ran out; resuming it.", runner.name());
                drains.remove(runner.name());
                runner.resume();
            }, delay, TimeUnit.NANOSECONDS));
        }
    }

    private void cancelDrainTimer(String service) {
        cancelTimer(drainTimers, service);
    }

    private static void cancelTimer(Map<String, ScheduledFuture<?>> timers, String service) {
        synchronized (timers) {
            ScheduledFuture<?> timer = timers.remove(service);
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    private void forgetHoldEnd(String service) {
        synchronized (holdEnds) {
            holdEnds.remove(service);
        }
    }

    /** Ends the graceful drain hold of {@code runner} after {@code hold}, unless resumed or stopped meanwhile. */
    private void endHoldAfter(ServiceRunner runner, Duration hold) {
        synchronized (holdEnds) {
            holdEnds.put(runner.name(), System.nanoTime() + hold.toNanos());
        }
        synchronized (holdTimers) {
            holdTimers.put(runner.name(), scheduler.schedule(() -> {
                if (stopped.get() || !runner.holding()) {
                    return;
                }
                forgetHoldEnd(runner.name());
                log.atInfo().addKeyValue("service", runner.name()).addKeyValue("drain_hold", Options.format(hold))
                        .log("The drain hold of service \"{}\" ended after {}; withdrawing its prefixes.", runner.name(),
                                Options.format(hold));
                runner.endHold();
            }, hold.toNanos(), TimeUnit.NANOSECONDS));
        }
    }

    /**
     * Stops the checks, withdraws every prefix of every service and waits for that, at most
     * {@code limit} in all. Safe to call more than once; later calls return the first result.
     */
    public synchronized ShutdownResult shutdown(Duration limit) {
        if (shutdownResult != null) {
            return shutdownResult;
        }
        // A reconfiguration under way finishes first (bounded by its operation timeouts), so that
        // no check it starts outlives the shutdown.
        synchronized (reconfiguring) {
            return shutdownNow(limit);
        }
    }

    private ShutdownResult shutdownNow(Duration limit) {
        stopped.set(true);
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (timers) {
            timers.forEach(timer -> timer.cancel(false));
            checkTimers.values().forEach(timer -> timer.cancel(false));
        }
        synchronized (drainTimers) {
            drainTimers.values().forEach(timer -> timer.cancel(false));
        }
        synchronized (holdTimers) {
            holdTimers.values().forEach(timer -> timer.cancel(false));
        }
        Map<ServiceRunner, ServiceChange> stopChanges = new LinkedHashMap<>();
        for (ServiceRunner service : services.values()) {
            service.stop(true).ifPresent(change -> stopChanges.put(service, change));
        }
        convergence.stop();
        List<String> notWithdrawn = new ArrayList<>();
        try {
            if (!convergence.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                log.atWarn().log("Prefix operations were still running at shutdown; withdrawing anyway.");
            }
            Map<Prefix, String> failed = new java.util.IdentityHashMap<>();
            if (started.get()) {
                List<ServiceRunner> holding = holdAtShutdown(deadline);
                List<Prefix> now = services.values().stream().filter(service -> !holding.contains(service))
                        .flatMap(service -> service.definition().prefixes().stream()).toList();
                failed.putAll(operations.apply(now, false, deadline));
                failed.putAll(endHoldsAtShutdown(holding, limit, deadline));
            }
            for (ServiceRunner service : services.values()) {
                for (Prefix prefix : service.definition().prefixes()) {
                    String error = failed.get(prefix);
                    if (error != null) {
                        notWithdrawn.add(service.name() + " " + prefix.describe() + ": " + error);
                        log.atError().addKeyValue("service", service.name()).addKeyValue("prefix", prefix.describe())
                                .addKeyValue("error", error)
                                .log("Could not withdraw {} of service \"{}\": {}", prefix.describe(), service.name(), error);
                    }
                }
                ServiceChange change = stopChanges.get(service);
                if (change != null) {
                    String errors = service.definition().prefixes().stream().filter(failed::containsKey)
                            .map(prefix -> prefix.describe() + ": " + failed.get(prefix)).collect(java.util.stream.Collectors.joining("; "));
                    events.publish(change.applied(errors.isEmpty() ? null : errors, clock.instant()));
                }
                log.atInfo().addKeyValue("service", service.name()).log("Service \"{}\" terminated.", service.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            notWithdrawn.add("shutdown was interrupted before every prefix was withdrawn");
        } finally {
            for (CheckRunner check : checks) {
                closeCheck(check.check());
            }
            if (ownsExecutors) {
                workers.shutdownNow();
                routerCalls.shutdownNow();
                scheduler.shutdownNow();
            }
        }
        shutdownResult = new ShutdownResult(notWithdrawn);
        return shutdownResult;
    }

    /**
     * Announces, through their drain route policies, the prefixes of the services whose graceful
     * drain holds at shutdown; returns those services. A service whose drain form could not be
     * announced is not held: it is withdrawn with the others at once.
     */
    private List<ServiceRunner> holdAtShutdown(long deadline) {
        List<ServiceRunner> holding = new ArrayList<>();
        for (ServiceRunner service : services.values()) {
            if (!service.holding()) {
                continue;
            }
            Convergence.Wanted wanted = service.wanted();
            List<Prefix> forms = service.definition().prefixes().stream().map(wanted::target).flatMap(Optional::stream).toList();
            Map<Prefix, String> failed = operations.apply(forms, true, deadline);
            if (failed.isEmpty()) {
                holding.add(service);
                GracefulDrain graceful = service.definition().gracefulDrain().orElseThrow();
                log.atInfo().addKeyValue("service", service.name()).addKeyValue("drain_route_policy", graceful.routePolicy())
                        .addKeyValue("drain_hold", Options.format(graceful.hold()))
                        .log("Service \"{}\" is stopping gracefully: announcing related prefixes through route policy {} for {}"
                                + " (at most what the shutdown bound leaves) before withdrawing them.", service.name(),
                                graceful.routePolicy(), Options.format(graceful.hold()));
            } else {
                log.atWarn().addKeyValue("service", service.name()).addKeyValue("error", failed.values().iterator().next())
                        .log("Could not announce the prefixes of service \"{}\" through its drain route policy at shutdown;"
                                + " withdrawing them at once: {}", service.name(), failed.values().iterator().next());
            }
        }
        return holding;
    }

    /**
     * Waits out each holding service's drain hold, cut so that the withdrawal still fits in the
     * shutdown bound, then withdraws its prefixes; returns the prefixes that could not be withdrawn.
     */
    private Map<Prefix, String> endHoldsAtShutdown(List<ServiceRunner> holding, Duration limit, long deadline)
            throws InterruptedException {
        Map<Prefix, String> failed = new java.util.IdentityHashMap<>();
        if (holding.isEmpty()) {
            return failed;
        }
        // Time kept for the withdrawal itself: one operation timeout, at most half the bound.
        long reserve = Math.min(settings.operationTimeout().toNanos(), limit.toNanos() / 2);
        long latest = deadline - reserve;
        long start = System.nanoTime();
        List<ServiceRunner> byEnd = new ArrayList<>(holding);
        Map<ServiceRunner, Long> ends = new java.util.IdentityHashMap<>();
        for (ServiceRunner service : holding) {
            Long recorded;
            synchronized (holdEnds) {
                recorded = holdEnds.get(service.name());
            }
            ends.put(service, recorded != null ? recorded : start + service.definition().gracefulDrain().orElseThrow().hold().toNanos());
        }
        byEnd.sort(java.util.Comparator.comparingLong(ends::get));
        for (ServiceRunner service : byEnd) {
            long end = ends.get(service);
            if (end - latest > 0) {
                log.atWarn().addKeyValue("service", service.name())
                        .addKeyValue("cut_by", Duration.ofNanos(end - latest).toMillis() + "ms")
                        .log("The drain hold of service \"{}\" is cut by {} ms to fit in the shutdown bound of {}.",
                                service.name(), Duration.ofNanos(end - latest).toMillis(), limit);
                end = latest;
            }
            long wait = end - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            service.endHold();
            failed.putAll(operations.apply(service.definition().prefixes(), false, deadline));
        }
        return failed;
    }

    /**
     * {@link #shutdown(Duration)} with the builder's shutdown timeout. Each prefix that could not
     * be withdrawn is logged at error level; call {@code shutdown} instead to get them as a value.
     */
    @Override
    public void close() {
        shutdown(settings.shutdownTimeout());
    }

    /**
     * Asks for a reconcile. One runs at a time; a request that comes while one runs makes the
     * loop run once more, so a request is never lost (the first reconcile after start-up needs that).
     */
    private void startReconcile() {
        reconcileRequested.set(true);
        if (stopped.get() || !reconciling.compareAndSet(false, true)) {
            return;
        }
        try {
            workers.execute(this::reconcileWhileRequested);
        } catch (RuntimeException e) {
            reconciling.set(false);
        }
    }

    private void reconcileWhileRequested() {
        try {
            while (reconcileRequested.getAndSet(false) && !stopped.get()) {
                try {
                    reconcile();
                } catch (RuntimeException e) {
                    log.atError().setCause(e).log("Reconciling prefixes failed unexpectedly: {}", e.toString());
                }
            }
        } finally {
            reconciling.set(false);
        }
        if (reconcileRequested.get() && !stopped.get()) {
            startReconcile(); // asked for between the loop's last look and its end
        }
    }

    /**
     * Until a reconcile has found everything converged, compares with the routing daemons as soon
     * as every service has been evaluated and has reached what it wants, rather than at the next
     * interval: that first reconcile is what tells a supervisor (systemd's READY) the daemon is up.
     */
    private void reconcileOnceConverged() {
        if (converged.get() || stopped.get() || !started.get()) {
            return;
        }
        for (ServiceRunner service : services.values()) {
            if (!service.evaluated() || convergence.settled(service.name()).isEmpty()) {
                return;
            }
        }
        startReconcile();
    }

    /**
     * The prefixes the state store says an earlier run may have announced and that no configured
     * prefix covers, built again with their providers. Records that name a configured
     * announcement are forgotten: withdrawing every configured prefix at start covers them.
     */
    private List<Prefix> leftoversOfEarlierRuns() {
        Set<PrefixRecord> earlier = record.loadEarlier();
        if (earlier.isEmpty()) {
            return List.of();
        }
        Set<String> configured = new HashSet<>();
        Set<PrefixRecord> configuredRecords = new HashSet<>();
        for (Prefix prefix : allPrefixes()) {
            configured.add(announcement(prefix));
            prefix.record().ifPresent(configuredRecords::add);
        }
        List<Prefix> rebuilt = new ArrayList<>();
        List<PrefixRecord> covered = new ArrayList<>();
        for (PrefixRecord earlierRecord : earlier) {
            if (configuredRecords.contains(earlierRecord)) {
                continue;
            }
            try {
                Prefix prefix = providers.prefixProvider(earlierRecord.type(), "state." + earlierRecord.type(), Location.UNKNOWN)
                        .create(Options.of("state." + earlierRecord.type(), earlierRecord.options()));
                if (configured.contains(announcement(prefix))) {
                    covered.add(earlierRecord);
                } else {
                    rebuilt.add(prefix);
                }
            } catch (ConfigurationException | RuntimeException e) {
                log.atWarn().addKeyValue("record", earlierRecord.toString()).addKeyValue("error", e.getMessage())
                        .log("An earlier run recorded {} as announced, but it cannot be built again to withdraw it ({});"
                                + " if the routing daemon still announces it, withdraw it by hand.", earlierRecord, e.getMessage());
            }
        }
        record.forget(covered);
        return rebuilt;
    }

    private void withdrewLeftovers(List<Prefix> withdrawn, Map<Prefix, String> failed) {
        for (Prefix prefix : withdrawn) {
            String error = failed.get(prefix);
            if (error == null) {
                log.atInfo().addKeyValue("prefix", prefix.describe())
                        .log("Withdrew {}: an earlier run announced it, and the configuration no longer names it.", prefix.describe());
            } else {
                log.atWarn().addKeyValue("prefix", prefix.describe()).addKeyValue("error", error)
                        .log("Could not withdraw {}, which an earlier run announced and the configuration no longer names;"
                                + " retrying at each reconcile: {}", prefix.describe(), error);
            }
        }
        synchronized (leftovers) {
            leftovers.removeAll(withdrawn);
            withdrawn.stream().filter(failed::containsKey).forEach(leftovers::add);
        }
    }

    private static String announcement(Prefix prefix) {
        return prefix.prefix() + " " + prefix.announcedIn();
    }

    /**
     * A routing daemon answered again after failing: it may have restarted and lost what it had,
     * so compare everything now rather than at the next reconcile interval.
     */
    private void reconcileSoon() {
        if (stopped.get()) {
            return;
        }
        log.atInfo().log("A routing daemon answers again after failing; comparing every prefix with it now.");
        try {
            scheduler.execute(this::startReconcile);
        } catch (RuntimeException e) {
            // The scheduler is shut down: the runtime is closing.
            log.atDebug().log("Not reconciling: the runtime is closing.");
        }
    }

    /**
     * Runs the guard checks, ages results, then compares every settled service's prefixes with
     * the routing daemons and repairs drift; publishes what it found when done.
     */
    void reconcile() {
        long start = System.nanoTime();
        // Guards (require-local's address checks) are read again at every reconcile too, whatever their interval.
        for (CheckRunner check : checks) {
            if (check.service().definition().policy().guards().contains(check.check().name())) {
                check.runNow();
            }
        }
        List<Prefix> remaining;
        synchronized (leftovers) {
            remaining = List.copyOf(leftovers);
        }
        if (!remaining.isEmpty() && !stopped.get()) {
            withdrewLeftovers(remaining, operations.apply(remaining, false));
        }
        boolean complete;
        synchronized (leftovers) {
            complete = leftovers.isEmpty();
        }
        Map<ServiceRunner, Convergence.Wanted> settled = new LinkedHashMap<>();
        // What a service wants announced is read in the form it wants (a wrong route policy is drift);
        // what it wants withdrawn is read in any form.
        List<Prefix> readExactly = new ArrayList<>();
        List<Prefix> readAny = new ArrayList<>();
        Map<Prefix, Prefix> asRead = new java.util.IdentityHashMap<>();
        for (ServiceRunner service : services.values()) {
            service.handle(new ServiceEvent.Tick());
            complete &= service.evaluated();
            convergence.settled(service.name()).ifPresent(wanted -> {
                settled.put(service, wanted);
                for (Prefix prefix : service.definition().prefixes()) {
                    Optional<Prefix> target = wanted.target(prefix);
                    asRead.put(prefix, target.orElse(prefix));
                    (target.isPresent() ? readExactly : readAny).add(target.orElse(prefix));
                }
            });
        }
        complete &= settled.size() == services.size();
        Map<Prefix, Boolean> announced = new java.util.IdentityHashMap<>();
        if (!readExactly.isEmpty()) {
            announced.putAll(operations.announced(readExactly, true));
        }
        if (!readAny.isEmpty()) {
            announced.putAll(operations.announced(readAny, false));
        }
        int prefixCount = readExactly.size() + readAny.size();
        List<String> repaired = new ArrayList<>();
        complete &= announced.size() == prefixCount;
        List<RuntimeEvent.PrefixState> read = new ArrayList<>();
        int[] repairs = new int[2]; // announce, withdraw
        settled.forEach((service, wanted) -> {
            if (events.any()) {
                service.definition().prefixes().stream().filter(prefix -> announced.containsKey(asRead.get(prefix)))
                        .forEach(prefix -> read.add(new RuntimeEvent.PrefixState(service.name(), prefix.prefix(),
                                announced.get(asRead.get(prefix)))));
            }
            List<Prefix> drifted = service.definition().prefixes().stream()
                    .filter(prefix -> announced.containsKey(asRead.get(prefix))
                            && announced.get(asRead.get(prefix)) != wanted.target(prefix).isPresent())
                    .toList();
            if (!drifted.isEmpty() && convergence.settled(service.name()).filter(wanted::equals).isPresent()) {
                int toAnnounce = (int) drifted.stream().filter(prefix -> wanted.target(prefix).isPresent()).count();
                repairs[0] += toAnnounce;
                repairs[1] += drifted.size() - toAnnounce;
                List<String> described = drifted.stream().map(prefix -> wanted.target(prefix).orElse(prefix).describe()).toList();
                log.atWarn().addKeyValue("service", service.name())
                        .addKeyValue("prefixes", described)
                        .addKeyValue("announce", wanted.form().announces())
                        .addKeyValue("form", wanted.form().name().toLowerCase(java.util.Locale.ROOT))
                        .log("Prefixes of service \"{}\" should be {} but are not (missing, or in another form); repairing: {}",
                                service.name(), wanted.describe(), described);
                convergence.submit(service.name(), drifted, wanted);
                drifted.forEach(prefix -> repaired.add(prefix.describe()));
            }
        });
        lastReconcile = new ReconcileOutcome(clock.instant(), announced.size(), prefixCount - announced.size(), repaired);
        complete &= repairs[0] == 0 && repairs[1] == 0;
        if (complete && converged.compareAndSet(false, true)) {
            log.atInfo().addKeyValue("services", services.size())
                    .log("Every service has been evaluated and the routing daemons hold what they should.");
        }
        events.publish(new RuntimeEvent.ReconcileCompleted(clock.instant(), Duration.ofNanos(System.nanoTime() - start), read,
                repairs[0], repairs[1], complete));
    }

    private List<Prefix> allPrefixes() {
        return services.values().stream().flatMap(service -> service.definition().prefixes().stream()).toList();
    }

    private ServiceRunner runner(String service) {
        ServiceRunner runner = services.get(service);
        if (runner == null) {
            throw new IllegalArgumentException("no service named \"" + service + "\"; known: " + services.keySet());
        }
        return runner;
    }

    private static Consumer<ServiceStatus> safe(Consumer<ServiceStatus> listener) {
        return status -> {
            try {
                listener.accept(status);
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).log("A status listener failed: {}", e.toString());
            }
        };
    }

    private static ScheduledExecutorService defaultScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, threads("anycastd-scheduler"));
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Builds an {@link AnycastRuntime}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private final List<ServiceDefinition> services = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;
        private ExecutorService workers;
        private int workerThreads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        private Duration operationTimeout = Duration.ofSeconds(10);
        private Duration retryMin = Duration.ofSeconds(1);
        private Duration retryMax = Duration.ofSeconds(30);
        private Duration reconcileInterval = Duration.ofSeconds(30);
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private Consumer<ServiceStatus> listener = status -> { };
        private final List<RuntimeListener> eventListeners = new ArrayList<>();
        private StateStore stateStore;
        private Providers providers;
        private boolean spreadChecks;

        private Builder() {
        }

        /**
         * Whether each check's first run waits a random part of its interval (at most one second)
         * instead of running at once, so that many checks of the same interval do not all run
         * in the same instant at every interval. Start-up is then up to a second slower to
         * announce. Default: false (every check runs at once, as tests and embedders expect);
         * the daemon turns it on.
         */
        public Builder spreadChecks(boolean spread) {
            this.spreadChecks = spread;
            return this;
        }

        /** Adds a service. Names must be unique. */
        public Builder service(ServiceDefinition service) {
            services.add(Objects.requireNonNull(service, "service"));
            return this;
        }

        /** Adds services. */
        public Builder services(List<ServiceDefinition> services) {
            services.forEach(this::service);
            return this;
        }

        /** The clock results are timed with. Default: the system clock (UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The scheduler for intervals, timeouts and retries, and the executor that runs checks
         * and prefix operations. Both are then the caller's to shut down. Default: one scheduler
         * thread, a fixed pool of worker threads and one thread for the changes of prefixes (so they
         * do not wait behind check runs), owned by the runtime.
         */
        public Builder executors(ScheduledExecutorService scheduler, ExecutorService workers) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            this.workers = Objects.requireNonNull(workers, "workers");
            return this;
        }

        /** Threads of the default worker pool. Default: twice the processors, at least 4. */
        public Builder workerThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("worker threads must be at least 1");
            }
            this.workerThreads = threads;
            return this;
        }

        /** Bound on one announce, withdraw or read of a prefix (or batch). Default 10 s. */
        public Builder operationTimeout(Duration timeout) {
            this.operationTimeout = positive(timeout, "operation timeout");
            return this;
        }

        /** First and longest delay between retries of a failed operation. Default 1 s and 30 s. */
        public Builder retryBackoff(Duration first, Duration longest) {
            this.retryMin = positive(first, "first retry delay");
            this.retryMax = positive(longest, "longest retry delay");
            if (longest.compareTo(first) < 0) {
                throw new IllegalArgumentException("the longest retry delay must not be shorter than the first");
            }
            return this;
        }

        /** How often what the routing daemons have is compared with what they should have. Default 30 s. */
        public Builder reconcileInterval(Duration interval) {
            this.reconcileInterval = positive(interval, "reconcile interval");
            return this;
        }

        /** Bound on {@link AnycastRuntime#close()}. Default 10 s. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = positive(timeout, "shutdown timeout");
            return this;
        }

        /**
         * Called with a service's status whenever its wanted state changes and whenever its
         * prefixes reach it. Called from runtime threads; must return quickly.
         */
        public Builder listener(Consumer<ServiceStatus> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Adds a listener told of every {@link RuntimeEvent}: state changes with their causes,
         * check results with their latency, routing-daemon calls with their duration and outcome,
         * reconcile runs with what they repaired. May be called more than once; listeners are told
         * in the order they were added. See {@link RuntimeListener} for the threads it is called on.
         */
        public Builder eventListener(RuntimeListener listener) {
            eventListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Where the runtime records which prefixes it may have announced, and the providers that
         * build recorded prefixes again: at start it withdraws those an earlier run (one that
         * crashed, or ran another configuration) announced and this configuration no longer names.
         * Default: none; only configured prefixes are withdrawn at start.
         */
        public Builder stateStore(StateStore store, Providers providers) {
            this.stateStore = Objects.requireNonNull(store, "store");
            this.providers = Objects.requireNonNull(providers, "providers");
            return this;
        }

        /** The runtime, not yet started. */
        public AnycastRuntime build() {
            return new AnycastRuntime(this);
        }

        private static Duration positive(Duration duration, String what) {
            Objects.requireNonNull(duration, what);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + duration);
            }
            return duration;
        }
    }
}
