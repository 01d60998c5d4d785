package dev.anycastd.core.runtime;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an operation in the calling thread and interrupts it when it outlives its time limit.
 * The alarm is set on the shared scheduler, so no extra thread waits per operation.
 */
final class TimeLimit {

    private final ScheduledExecutorService scheduler;

    TimeLimit(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** An operation that may throw anything an adapter throws. */
    interface Operation<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code operation}; if it is still running after {@code limit}, interrupts it.
     *
     * @throws TimeoutException if it was interrupted by the limit (whatever it threw then)
     */
    <T> T call(Duration limit, Operation<T> operation) throws Exception {
        Alarm alarm = new Alarm(Thread.currentThread());
        ScheduledFuture<?> scheduled = scheduler.schedule(alarm, limit.toNanos(), TimeUnit.NANOSECONDS);
        T result;
        try {
            result = operation.run();
        } catch (Exception e) {
            if (alarm.disarm()) {
                TimeoutException timeout = new TimeoutException("took longer than " + limit.toMillis() + " ms");
                timeout.initCause(e);
                throw timeout;
            }
            throw e;
        } finally {
            scheduled.cancel(false);
        }
        // Finished just as the alarm went off: the result stands; only the interrupt is cleared.
        alarm.disarm();
        return result;
    }

    private static final class Alarm implements Runnable {
        private final Thread thread;
        /** Guarded by {@code this}. */
        private boolean done;
        /** Guarded by {@code this}. */
        private boolean fired;

        Alarm(Thread thread) {
            this.thread = thread;
        }

        @Override
        public synchronized void run() {
            if (!done) {
                fired = true;
                thread.interrupt();
            }
        }

        /** Stops the alarm; returns whether it had fired, clearing the interrupt it caused. */
        synchronized boolean disarm() {
            done = true;
            if (fired) {
                Thread.interrupted();
            }
            return fired;
        }
    }
}
