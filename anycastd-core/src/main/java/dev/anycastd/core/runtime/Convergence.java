package dev.anycastd.core.runtime;

import dev.anycastd.core.prefix.Prefix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path by which wanted states reach the routing daemons. Services submit requests;
 * a single drain on the workers takes every request pending at that moment and applies them
 * together, so prefixes of many services that change at once (start-up, a mass failure) share
 * one batch call per routing daemon instead of one call per service. When only one service
 * changes, its request is applied at once, alone.
 *
 * <p>Because only one drain runs at a time, operations on one service never overlap.
 */
final class Convergence {

    private static final Logger log = LoggerFactory.getLogger(Convergence.class);

    private final Executor workers;
    private final PrefixOperations operations;
    /** Guarded by {@code this}: the requests not yet taken by a drain, one per service. */
    private final Map<ServiceRunner, Request> pending = new LinkedHashMap<>();
    /** Guarded by {@code this}: whether a drain is queued or running. */
    private boolean draining;

    Convergence(Executor workers, PrefixOperations operations) {
        this.workers = workers;
        this.operations = operations;
    }

    /**
     * Asks for {@code prefixes} of {@code service} to be brought to the state the service
     * wanted at {@code generation}. A request of a newer generation replaces an older one; one
     * of the same generation adds its prefixes.
     */
    void submit(ServiceRunner service, List<Prefix> prefixes, long generation) {
        synchronized (this) {
            Request previous = pending.get(service);
            if (previous != null && previous.generation() == generation) {
                Set<Prefix> union = new LinkedHashSet<>(previous.prefixes());
                union.addAll(prefixes);
                pending.put(service, new Request(List.copyOf(union), generation));
            } else if (previous == null || previous.generation() < generation) {
                pending.put(service, new Request(List.copyOf(prefixes), generation));
            }
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
            }
        }
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
        while (true) {
            Map<ServiceRunner, Request> taken;
            synchronized (this) {
                if (pending.isEmpty()) {
                    draining = false;
                    notifyAll();
                    return;
                }
                taken = new LinkedHashMap<>(pending);
                pending.clear();
            }
            try {
                apply(taken);
            } catch (RuntimeException e) {
                // A bug, but the requests must not be lost: a service left half-way would never be
                // settled, so never reconciled either. Hand them to the services' retries instead.
                log.atError().setCause(e).log("Applying prefix changes failed unexpectedly; retrying: {}", e.toString());
                taken.forEach((service, request) -> service.wantedAt(request.generation()).ifPresent(announce -> {
                    Map<Prefix, String> failures = new LinkedHashMap<>();
                    request.prefixes().forEach(prefix -> failures.put(prefix, "internal error: " + e));
                    service.applied(request.generation(), announce, failures);
                }));
            }
        }
    }

    private void apply(Map<ServiceRunner, Request> requests) {
        List<Prefix> toAnnounce = new ArrayList<>();
        List<Prefix> toWithdraw = new ArrayList<>();
        Map<ServiceRunner, Boolean> wanted = new LinkedHashMap<>();
        requests.forEach((service, request) -> {
            Optional<Boolean> announce = service.wantedAt(request.generation());
            if (announce.isPresent()) {
                wanted.put(service, announce.get());
                (announce.get() ? toAnnounce : toWithdraw).addAll(request.prefixes());
            }
        });
        Map<Prefix, String> failures = new LinkedHashMap<>();
        if (!toWithdraw.isEmpty()) {
            failures.putAll(operations.apply(toWithdraw, false));
        }
        if (!toAnnounce.isEmpty()) {
            failures.putAll(operations.apply(toAnnounce, true));
        }
        wanted.forEach((service, announce) -> {
            Request request = requests.get(service);
            Map<Prefix, String> own = new LinkedHashMap<>();
            for (Prefix prefix : request.prefixes()) {
                String failure = failures.get(prefix);
                if (failure != null) {
                    own.put(prefix, failure);
                }
            }
            service.applied(request.generation(), announce, own);
        });
    }

    /** Prefixes of one service to bring to the state it wanted at a generation. */
    private record Request(List<Prefix> prefixes, long generation) {
    }
}
