package dev.anycastd.core.runtime;

import dev.anycastd.core.internal.service.Form;
import dev.anycastd.core.prefix.Prefix;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path by which wanted states reach the routing daemons, and the one owner of retries.
 * Services submit what they want (the form of their prefixes, as of a generation of their wanted
 * state: withdrawn, or each announced as a given form or withdrawn) and are not asked anything back. A single drain on the workers takes every
 * request pending at that moment and applies them together, so prefixes of many services that
 * change at once (start-up, a mass failure) share one batch call per routing daemon. Prefixes
 * that fail are retried with a backoff of their service's own, from the first delay up to the
 * longest, started afresh whenever the service wants something new.
 *
 * <p>A request that finds no drain under way starts one at once. Requests that arrive while a
 * drain's call is under way are a burst (a mass failure, many pushes in a row): the drain then
 * takes them only once no new one came for {@link #QUIET}, or {@link #COALESCE} after that call
 * ended, so requests that come less than {@link #QUIET} apart share a router call instead of
 * each paying the routing daemon's fixed cost.
 *
 * <p>Because only one drain runs at a time, operations on one service never overlap. All state
 * is guarded by {@code this}; no lock is held while calling out (operations, the listener).
 */
final class Convergence {

    private static final Logger log = LoggerFactory.getLogger(Convergence.class);

    /** How long a burst must pause before the requests it queued during a call are applied. */
    static final Duration QUIET = Duration.ofMillis(5);
    /** The longest a drain waits for a burst to pause after a call, so a steady stream still advances. */
    static final Duration COALESCE = Duration.ofMillis(40);

    private final Executor workers;
    private final ScheduledExecutorService scheduler;
    private final PrefixOperations operations;
    private final RuntimeSettings settings;
    private final Consumer<String> settledListener;
    private final RuntimeEvents events;
    private final Clock clock;
    /** Requests not yet taken by a drain, one per service. */
    private final Map<String, Request> pending = new LinkedHashMap<>();
    /** What each service wants and how far it got. */
    private final Map<String, Track> tracks = new HashMap<>();
    /** Whether a drain is queued or running. */
    private boolean draining;
    /** {@link System#nanoTime()} of the latest request added to {@link #pending}. */
    private long lastSubmitted;
    private boolean stopped;

    /**
     * @param settledListener told a service's name whenever its prefixes reach what it wants
     * @param events told {@link RuntimeEvent.ChangeApplied} when a submitted change got there or first failed
     */
    Convergence(Executor workers, ScheduledExecutorService scheduler, PrefixOperations operations, RuntimeSettings settings,
            Consumer<String> settledListener, RuntimeEvents events, Clock clock) {
        this.workers = workers;
        this.scheduler = scheduler;
        this.operations = operations;
        this.settings = settings;
        this.settledListener = settledListener;
        this.events = events;
        this.clock = clock;
    }

    /**
     * What a service wants, as of one generation of its wanted state.
     *
     * @param form the form of the service's prefixes
     * @param heldFrom while draining, the form held from
     * @param generation the generation of the wanted state
     * @param forms the service's prefixes' forms, which say what each prefix becomes
     */
    record Wanted(Form form, Form heldFrom, long generation, ServiceForms forms) {

        /** Withdrawn, as every service starts out. */
        static Wanted withdrawn(ServiceForms forms) {
            return new Wanted(Form.WITHDRAWN, Form.WITHDRAWN, 0, forms);
        }

        /** What {@code prefix} should be announced as; empty when it should be withdrawn. */
        Optional<Prefix> target(Prefix prefix) {
            return forms.target(prefix, form, heldFrom);
        }

        /** In words, for logs: "announced", "withdrawn", "announced through their when-down route policies", ... */
        String describe() {
            return switch (form) {
                case WITHDRAWN -> "withdrawn";
                case NORMAL -> "announced";
                case WHEN_DOWN -> "as when down (announced through their when-down route policies, or withdrawn)";
                case DRAINING -> "held through the drain route policy";
            };
        }
    }

    /** A service's wanted state and how far it got; changed only under the lock. */
    private static final class Track {
        Wanted wanted;
        boolean settled;
        Duration backoff;
        /** The retry scheduled, if any, and the prefixes it will submit again. */
        ScheduledFuture<?> retry;
        final Set<Prefix> toRetry = new LinkedHashSet<>();
        /** The change to tell once the wanted state is reached or first fails; null when told. */
        ServiceChange change;

        Track(Wanted wanted) {
            this.wanted = wanted;
        }
    }

    /** Prefixes of one service to bring to what it wants. */
    private record Request(List<Prefix> prefixes, Wanted wanted) {
    }

    /**
     * The runtime withdrew every prefix at start-up; {@code failed} are those it could not. The
     * service starts out wanting them withdrawn, and they are retried like any failure.
     */
    void started(String service, List<Prefix> failed, ServiceForms forms) {
        Wanted withdrawn = Wanted.withdrawn(forms);
        synchronized (this) {
            Track track = tracks.computeIfAbsent(service, name -> new Track(withdrawn));
            track.settled = failed.isEmpty() && track.wanted.generation() == 0;
        }
        if (!failed.isEmpty()) {
            submit(service, failed, withdrawn);
        }
    }

    /**
     * Asks for {@code prefixes} of {@code service} to be brought to {@code wanted}. A newer
     * generation replaces what the service wanted before (and starts its backoff afresh); the
     * same generation adds prefixes (a repair); an older one is ignored.
     */
    void submit(String service, List<Prefix> prefixes, Wanted wanted) {
        submit(service, prefixes, wanted, null);
    }

    /**
     * {@link #submit(String, List, Wanted)} for a change of the service's condition, which is told
     * as {@link RuntimeEvent.ChangeApplied} once applied or when the first attempt fails.
     */
    void submit(String service, List<Prefix> prefixes, Wanted wanted, ServiceChange change) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            Track track = tracks.get(service);
            if (track == null) {
                track = new Track(wanted);
                tracks.put(service, track);
            } else if (wanted.generation() < track.wanted.generation()) {
                return;
            } else if (wanted.generation() > track.wanted.generation()) {
                track.wanted = wanted;
                track.backoff = null;
                cancelRetry(track);
            }
            if (change != null) {
                track.change = change.after(track.change);
            }
            track.settled = false;
            Request previous = pending.get(service);
            if (previous != null && previous.wanted().equals(wanted)) {
                Set<Prefix> union = new LinkedHashSet<>(previous.prefixes());
                union.addAll(prefixes);
                pending.put(service, new Request(List.copyOf(union), wanted));
            } else {
                pending.put(service, new Request(List.copyOf(prefixes), wanted));
            }
            lastSubmitted = System.nanoTime();
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            workers.execute(this::drain);
        } catch (RuntimeException e) {
            // The workers are shut down: the runtime is closing and withdraws by itself.
            synchronized (this) {
                draining = false;
                notifyAll();
            }
        }
    }

    /**
     * What {@code service} wants, if its prefixes got there and nothing is pending or waiting
     * for a retry: what a reconcile may compare with the routing daemons.
     */
    synchronized Optional<Wanted> settled(String service) {
        Track track = tracks.get(service);
        return track != null && track.settled && !stopped ? Optional.of(track.wanted) : Optional.empty();
    }

    /**
     * Forgets a service a reconfiguration removed or replaced: its pending request and retry are
     * dropped, and an operation of its already running is ignored when it ends.
     */
    synchronized void forget(String service) {
        Track track = tracks.remove(service);
        if (track != null) {
            cancelRetry(track);
        }
        pending.remove(service);
    }

    /** Applies nothing more and cancels every retry: the runtime is withdrawing everything itself. */
    synchronized void stop() {
        stopped = true;
        pending.clear();
        tracks.values().forEach(Convergence::cancelRetry);
    }

    /** Waits until no request is pending or being applied. */
    boolean awaitIdle(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (this) {
            while (draining) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    private void drain() {
        boolean called = false;
        while (true) {
            Map<String, Request> taken;
            synchronized (this) {
                if (called && !pending.isEmpty() && !stopped) {
                    awaitPause();
                }
                if (pending.isEmpty() || stopped) {
                    pending.clear();
                    draining = false;
                    notifyAll();
                    return;
                }
                taken = new LinkedHashMap<>(pending);
                pending.clear();
            }
            Map<Prefix, String> failures;
            try {
                failures = apply(taken);
            } catch (RuntimeException e) {
                // A bug, but the requests must not be lost: a service left half-way would never be
                // settled, so never reconciled either. They are retried like any failure.
                log.atError().setCause(e).log("Applying prefix changes failed unexpectedly; retrying: {}", e.toString());
                failures = new LinkedHashMap<>();
                for (Request request : taken.values()) {
                    for (Prefix prefix : request.prefixes()) {
                        failures.put(prefix, "internal error: " + e);
                    }
                }
            }
            Map<Prefix, String> outcome = failures;
            taken.forEach((service, request) -> settle(service, request, outcome));
            called = true;
        }
    }

    /**
     * Requests came while the last call ran: waits (releasing the lock, so they keep coming)
     * until none came for {@link #QUIET}, at most {@link #COALESCE}.
     */
    private void awaitPause() {
        assert Thread.holdsLock(this);
        long end = System.nanoTime() + COALESCE.toNanos();
        try {
            while (!stopped) {
                long now = System.nanoTime();
                long wait = Math.min(lastSubmitted + QUIET.toNanos(), end) - now;
                if (wait <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, wait);
            }
        } catch (InterruptedException e) {
            // The thread making router calls is being shut down: apply what is pending now.
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Withdraws, then announces, every prefix of the requests in the form its service wants; the
     * failures are keyed by the service's own prefix, whatever form was announced. A form that
     * replaces another is one announcement: the routing daemon switches it in place.
     */
    private Map<Prefix, String> apply(Map<String, Request> requests) {
        Map<Prefix, Prefix> toAnnounce = new java.util.IdentityHashMap<>();
        List<Prefix> announcing = new ArrayList<>();
        List<Prefix> toWithdraw = new ArrayList<>();
        for (Request request : requests.values()) {
            for (Prefix prefix : request.prefixes()) {
                Optional<Prefix> target = request.wanted().target(prefix);
                if (target.isPresent()) {
                    toAnnounce.put(target.get(), prefix);
                    announcing.add(target.get());
                } else {
                    toWithdraw.add(prefix);
                }
            }
        }
        Map<Prefix, String> failures = new LinkedHashMap<>();
        if (!toWithdraw.isEmpty()) {
            failures.putAll(operations.apply(toWithdraw, false));
        }
        if (!announcing.isEmpty()) {
            operations.apply(announcing, true).forEach((form, failure) -> failures.put(toAnnounce.get(form), failure));
        }
        return failures;
    }

    /** Records the outcome of one service's request: settled, or a retry after its backoff. */
    private void settle(String service, Request request, Map<Prefix, String> failures) {
        Map<Prefix, String> own = new LinkedHashMap<>();
        for (Prefix prefix : request.prefixes()) {
            String failure = failures.get(prefix);
            if (failure != null) {
                own.put(prefix, failure);
            }
        }
        Duration recoveredAfter;
        Duration delay;
        RuntimeEvent.ChangeApplied applied = null;
        synchronized (this) {
            Track track = tracks.get(service);
            if (stopped || track == null || !track.wanted.equals(request.wanted())) {
                return; // what the service wants changed meanwhile; its newer request says what to do
            }
            if (own.isEmpty()) {
                recoveredAfter = track.backoff;
                boolean nowSettled = !pending.containsKey(service) && track.retry == null;
                track.backoff = null;
                track.settled = nowSettled;
                if (!nowSettled) {
                    return;
                }
                delay = null;
                if (track.change != null) {
                    applied = track.change.applied(null, clock.instant());
                    track.change = null;
                }
            } else {
                recoveredAfter = null;
                track.toRetry.addAll(own.keySet());
                if (track.change != null) {
                    applied = track.change.applied(own.entrySet().stream()
                            .map(failure -> failure.getKey().describe() + ": " + failure.getValue())
                            .collect(Collectors.joining("; ")), clock.instant());
                    track.change = null;
                }
                if (track.retry != null) {
                    delay = Duration.ZERO; // the retry already scheduled takes these prefixes too
                } else {
                    delay = track.backoff == null ? settings.retryMin() : min(track.backoff.multipliedBy(2), settings.retryMax());
                    var event = track.backoff == null ? log.atWarn() : log.atDebug();
                    track.backoff = delay;
                    Wanted wanted = request.wanted();
                    track.retry = scheduler.schedule(() -> retry(service, wanted), delay.toNanos(), TimeUnit.NANOSECONDS);
                    event.addKeyValue("service", service)
                            .addKeyValue("prefixes", own.keySet().stream().map(Prefix::describe).toList())
                            .addKeyValue("retry_in", delay.toMillis() + "ms")
                            .log("Could not make the prefixes of service \"{}\" {}, retrying in {} ms: {}",
                                    service, wanted.describe(), delay.toMillis(),
                                    own.entrySet().stream().map(failure -> failure.getKey().describe() + ": " + failure.getValue())
                                            .collect(Collectors.joining("; ")));
                }
            }
        }
        if (applied != null) {
            events.publish(applied);
        }
        if (delay == null) {
            if (recoveredAfter != null) {
                log.atInfo().addKeyValue("service", service).addKeyValue("announce", request.wanted().form().announces())
                        .addKeyValue("form", request.wanted().form().name().toLowerCase(java.util.Locale.ROOT))
                        .log("Prefixes of service \"{}\" are {} after earlier failures.", service, request.wanted().describe());
            }
            settledListener.accept(service);
        }
    }

    private void retry(String service, Wanted wanted) {
        List<Prefix> failed;
        synchronized (this) {
            Track track = tracks.get(service);
            if (track == null || !track.wanted.equals(wanted)) {
                return;
            }
            failed = List.copyOf(track.toRetry);
            track.toRetry.clear();
            track.retry = null;
        }
        submit(service, failed, wanted);
    }

    private static void cancelRetry(Track track) {
        if (track.retry != null) {
            track.retry.cancel(false);
            track.retry = null;
        }
        track.toRetry.clear();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
