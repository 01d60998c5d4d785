package dev.anycastd.checks;

import dev.anycastd.core.check.Health;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One run of a check, from start to its first ending: a result, its own timeout, or the
 * runtime's cancel. Whichever comes first releases what the run holds (a socket, an exchange, a
 * process) and logs a changed outcome before the result is handed over, so the next run (which
 * the runtime starts only after this one's future completed) never overtakes it; the later
 * endings do nothing.
 */
final class Run {

    private final CompletableFuture<Health> result = new CompletableFuture<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final CheckOutcomes outcomes;
    private final Supplier<String> release;
    private final ScheduledFuture<?> timer;

    /**
     * Starts the clock of a run.
     *
     * @param release frees what the run holds and returns its output for the log (empty for none);
     *     called once, from the thread that ends the run
     */
    Run(CheckOutcomes outcomes, Duration timeout, Supplier<Health> timedOut, Supplier<String> release) {
        this.outcomes = outcomes;
        this.release = release;
        this.timer = Timeouts.SCHEDULER.schedule(() -> end(timedOut.get()), timeout.toNanos(), TimeUnit.NANOSECONDS);
        // Cancelled by the runtime at its own timeout: release, without a verdict of the check's own.
        result.whenComplete((health, error) -> {
            if (error != null && ended.compareAndSet(false, true)) {
                timer.cancel(false);
                release.get();
            }
        });
    }

    /** Ends the run with {@code health}, unless it has ended already. */
    void end(Health health) {
        if (ended.compareAndSet(false, true)) {
            timer.cancel(false);
            String output = release.get();
            outcomes.record(health, output);
            result.complete(health);
        }
    }

    /** The run's result, for the runtime; cancelling it ends the run. */
    CompletableFuture<Health> future() {
        return result;
    }

    /**
     * The one timer thread of every run's timeout. A run that ends in time cancels its timer,
     * which leaves the queue at once, so it costs no wake-up: a hundred runs a second add none.
     */
    private static final class Timeouts {
        static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();

        private static ScheduledThreadPoolExecutor scheduler() {
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "anycastd-check-timeouts");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.setRemoveOnCancelPolicy(true);
            return scheduler;
        }
    }

    /** A run that ended before it began (a name that does not resolve, a program that cannot start). */
    static CompletableFuture<Health> ended(CheckOutcomes outcomes, Health health) {
        outcomes.record(health, "");
        return CompletableFuture.completedFuture(health);
    }
}
