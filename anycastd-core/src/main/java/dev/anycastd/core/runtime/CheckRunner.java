package dev.anycastd.core.runtime;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one check at its interval on the shared workers and reports each result to its
 * service. A run that outlives the check's timeout is reported as unknown at the timeout and
 * interrupted; while it still occupies its thread, later runs of that check are skipped (and
 * the service's results go stale, which withdraws it), but no other check waits for it.
 */
final class CheckRunner implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(CheckRunner.class);

    private static final int QUEUED = 0;
    private static final int STARTED = 1;
    private static final int ABANDONED = 2;

    private final ServiceRunner service;
    private final HealthCheck check;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final RuntimeEvents events;
    /** Set while a run occupies a worker thread. */
    private final AtomicBoolean running = new AtomicBoolean();
    /** Whether the skipped-run warning was logged for the current hang. */
    private final AtomicBoolean hangLogged = new AtomicBoolean();
    /** The outcome of the latest run started; guarded by {@code this}. */
    private CompletableFuture<Health> latest;

    CheckRunner(ServiceRunner service, HealthCheck check, ExecutorService workers, ScheduledExecutorService scheduler,
            Clock clock, RuntimeEvents events) {
        this.service = service;
        this.check = check;
        this.workers = workers;
        this.scheduler = scheduler;
        this.clock = clock;
        this.events = events;
    }

    HealthCheck check() {
        return check;
    }

    ServiceRunner service() {
        return service;
    }

    /** Lets the check push results between runs; each goes to the service as a completed run does. */
    void acceptPushes() {
        check.pushResultsTo(pushed -> {
            Health health = pushed != null ? pushed : Health.unknown("check pushed no result");
            events.publish(new RuntimeEvent.CheckCompleted(service.name(), check.name(), health, true, Duration.ZERO, clock.instant()));
            service.checkCompleted(check, health);
        });
    }

    /**
     * Runs the check now, or joins the run in progress; the future completes with its result
     * (unknown at the check's timeout), as reported to the service.
     */
    CompletableFuture<Health> runNow() {
        run();
        synchronized (this) {
            return latest != null ? latest
                    : CompletableFuture.failedFuture(new IllegalStateException("the runtime is closing"));
        }
    }

    /** Called by the scheduler at each interval; returns at once. */
    @Override
    public void run() {
        if (!running.compareAndSet(false, true)) {
            if (hangLogged.compareAndSet(false, true)) {
                log.atWarn().addKeyValue("service", service.name()).addKeyValue("check", check.name())
                        .log("Check \"{}\" of service \"{}\" is still running past its timeout; skipping its runs until it returns.",
                                check.name(), service.name());
            }
            return;
        }
        AtomicBoolean reported = new AtomicBoolean();
        CompletableFuture<Health> outcome = new CompletableFuture<>();
        synchronized (this) {
            latest = outcome;
        }
        long started = System.nanoTime();
        // QUEUED until a worker takes the run; a timeout that comes first abandons it, so a run
        // that never started cannot leave the check marked as running for good.
        AtomicInteger phase = new AtomicInteger(QUEUED);
        // Set before the run can end: a run that ends in time cancels its timeout, so a check costs
        // the scheduler one wakeup per interval, not two.
        CompletableFuture<ScheduledFuture<?>> alarm = new CompletableFuture<>();
        Future<?> run;
        try {
            run = workers.submit(() -> {
                if (!phase.compareAndSet(QUEUED, STARTED)) {
                    return;
                }
                long begun = System.nanoTime();
                try {
                    if (report(reported, outcome, runOnce(), begun)) {
                        alarm.thenAccept(timeout -> timeout.cancel(false));
                    }
                } finally {
                    running.set(false);
                    hangLogged.set(false);
                }
            });
        } catch (RuntimeException e) {
            // The workers were shut down: the runtime is closing.
            running.set(false);
            outcome.completeExceptionally(e);
            return;
        }
        alarm.complete(scheduler.schedule(() -> {
            String late = phase.compareAndSet(QUEUED, ABANDONED)
                    ? "check waited " + check.timeout().toMillis() + " ms for a free worker and did not run"
                    : "check did not finish within " + check.timeout().toMillis() + " ms";
            if (report(reported, outcome, Health.unknown(late), started)) {
                if (phase.get() == ABANDONED) {
                    running.set(false);
                } else {
                    run.cancel(true);
                }
            }
        }, check.timeout().toNanos(), TimeUnit.NANOSECONDS));
    }

    private Health runOnce() {
        try {
            Health health = check.check();
            return health != null ? health : Health.unknown("check returned no result");
        } catch (RuntimeException e) {
            return Health.unknown("check failed: " + e);
        }
    }

    /** Reports the first outcome of a run (its result or its timeout), ignoring the second. */
    private boolean report(AtomicBoolean reported, CompletableFuture<Health> outcome, Health health, long started) {
        if (!reported.compareAndSet(false, true)) {
            return false;
        }
        try {
            events.publish(new RuntimeEvent.CheckCompleted(service.name(), check.name(), health, false,
                    Duration.ofNanos(System.nanoTime() - started), clock.instant()));
            service.checkCompleted(check, health);
        } finally {
            outcome.complete(health);
        }
        return true;
    }
}
