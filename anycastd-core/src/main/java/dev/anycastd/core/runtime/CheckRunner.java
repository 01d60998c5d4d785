package dev.anycastd.core.runtime;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one check at its interval on the shared workers and reports each result to its
 * service as soon as the run ends. A run starts with {@link HealthCheck#checkAsync()} on a
 * worker: a check that waits without a thread frees the worker at once, and its result is
 * reported from whichever thread completes it. A run that outlives the check's timeout is
 * reported as unknown at the timeout, interrupted and cancelled; while it still occupies its
 * thread or its stage is not complete, later runs of that check are skipped (and the service's
 * results go stale, which withdraws it), but no other check waits for it.
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
    /** Set from the start of a run until its stage completes (or its worker returns, for a blocking check). */
    private final AtomicBoolean running = new AtomicBoolean();
    /** Whether the skipped-run warning was logged for the current hang. */
    private final AtomicBoolean hangLogged = new AtomicBoolean();
    /** When ({@link System#nanoTime()}) the latest run was started; written by {@link #run()} only. */
    private volatile long runStarted;
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
            // A run that is late only by the scheduler's own delay (a busy machine) is skipped quietly;
            // one that outlived its timeout is worth a warning, once per hang.
            boolean pastTimeout = System.nanoTime() - runStarted > check.timeout().toNanos();
            if (pastTimeout && hangLogged.compareAndSet(false, true)) {
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
        runStarted = started;
        // QUEUED until a worker takes the run; a timeout that comes first abandons it, so a run
        // that never started cannot leave the check marked as running for good.
        AtomicInteger phase = new AtomicInteger(QUEUED);
        // The run's stage once started, so that the timeout can cancel a run that waits without a thread.
        AtomicReference<CompletableFuture<Health>> pending = new AtomicReference<>();
        // The timeout's timer, cancelled once the run has reported, so a run that ends in time costs no wake-up at its timeout.
        AtomicReference<ScheduledFuture<?>> timer = new AtomicReference<>();
        Future<?> run;
        try {
            run = workers.submit(() -> {
                if (!phase.compareAndSet(QUEUED, STARTED)) {
                    return;
                }
                long begun = System.nanoTime();
                CompletableFuture<Health> stage;
                try {
                    stage = start();
                } catch (Error e) {
                    running.set(false);
                    hangLogged.set(false);
                    throw e;
                }
                stage.whenComplete((health, error) -> {
                    try {
                        report(reported, outcome, toHealth(health, error), begun);
                    } finally {
                        running.set(false);
                        hangLogged.set(false);
                        ScheduledFuture<?> limit = timer.get();
                        if (limit != null) {
                            limit.cancel(false);
                        }
                    }
                });
                pending.set(stage);
                if (reported.get()) {
                    // The timeout came while the run was starting; end it as the timeout would have.
                    stage.cancel(true);
                }
            });
        } catch (RuntimeException e) {
            // The workers were shut down: the runtime is closing.
            running.set(false);
            outcome.completeExceptionally(e);
            return;
        }
        ScheduledFuture<?> limit = scheduler.schedule(() -> {
            String late = phase.compareAndSet(QUEUED, ABANDONED)
                    ? "check waited " + check.timeout().toMillis() + " ms for a free worker and did not run"
                    : "check did not finish within " + check.timeout().toMillis() + " ms";
            if (report(reported, outcome, Health.unknown(late), started)) {
                if (phase.get() == ABANDONED) {
                    running.set(false);
                } else {
                    run.cancel(true);
                    CompletableFuture<Health> stage = pending.get();
                    if (stage != null) {
                        stage.cancel(true);
                    }
                }
            }
        }, check.timeout().toNanos(), TimeUnit.NANOSECONDS);
        timer.set(limit);
        if (reported.get()) {
            // The run may have ended before its timer existed.
            limit.cancel(false);
        }
    }

    /** Starts one run; a check that throws or returns nothing gives a completed stage saying so. */
    private CompletableFuture<Health> start() {
        try {
            CompletionStage<Health> stage = check.checkAsync();
            return stage != null ? stage.toCompletableFuture() : CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Health.unknown("check failed: " + e));
        }
    }

    private static Health toHealth(Health health, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return Health.unknown("check failed: " + cause);
        }
        return health != null ? health : Health.unknown("check returned no result");
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
