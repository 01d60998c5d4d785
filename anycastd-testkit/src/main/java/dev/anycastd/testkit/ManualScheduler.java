package dev.anycastd.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A fake {@link ScheduledExecutorService} with its own clock that moves only when a test says
 * so. Nothing runs by itself: {@link #advance(Duration)} runs, on the calling thread and in
 * time order, every task that falls due, moving {@link #clock()} to each task's time first.
 * Tests of timing (intervals, timeouts, retries) become deterministic and take no real time.
 *
 * <p>This is a test double, not a production scheduler. Thread-safe: other threads may
 * schedule tasks while a test advances time.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long nowNanos;
    private long sequence;
    private boolean shutdown;
    private final Instant epoch;

    /** A scheduler whose clock starts at {@code 2026-01-01T00:00:00Z}. */
    public ManualScheduler() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** A scheduler whose clock starts at {@code start}. */
    public ManualScheduler(Instant start) {
        this.epoch = start;
    }

    /** A clock that reads this scheduler's time. */
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("the manual clock is always UTC");
            }

            @Override
            public Instant instant() {
                return now();
            }
        };
    }

    /** The current time of this scheduler. */
    public synchronized Instant now() {
        return epoch.plusNanos(nowNanos);
    }

    /** Runs every task due now, including tasks those tasks submit for now. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Moves time forward by {@code duration}, running each task as its time comes. */
    public void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = nowNanos + duration.toNanos();
        }
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.time > target) {
                    nowNanos = target;
                    return;
                }
                queue.poll();
                nowNanos = Math.max(nowNanos, next.time);
            }
            next.run();
        }
    }

    /** How many tasks are waiting, periodic ones included. */
    public synchronized int pendingTasks() {
        return (int) queue.stream().filter(task -> !task.isCancelled()).count();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new Task<Void>(Executors.callable(command, null), unit.toNanos(delay), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new Task<>(callable, unit.toNanos(delay), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return enqueue(new Task<Void>(Executors.callable(command, null), unit.toNanos(initialDelay), unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        // Tasks take no virtual time, so a fixed delay and a fixed rate are the same here.
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> pending = new ArrayList<>(queue);
        queue.clear();
        return pending;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private synchronized <V> Task<V> enqueue(Task<V> task) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("the manual scheduler was shut down");
        }
        task.time = nowNanos + Math.max(0, task.time);
        queue.add(task);
        return task;
    }

    private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
        private long time;
        private final long period;
        private final long order;

        Task(Callable<V> callable, long delay, long period) {
            super(callable);
            this.time = delay;
            this.period = period;
            synchronized (ManualScheduler.this) {
                this.order = sequence++;
            }
        }

        @Override
        public boolean isPeriodic() {
            return period > 0;
        }

        @Override
        public void run() {
            if (!isPeriodic()) {
                super.run();
            } else if (runAndReset()) {
                synchronized (ManualScheduler.this) {
                    time += period;
                    if (!shutdown) {
                        queue.add(this);
                    }
                }
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (ManualScheduler.this) {
                return unit.convert(time - nowNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed other) {
            Task<?> that = (Task<?>) other;
            int byTime = Long.compare(time, that.time);
            return byTime != 0 ? byTime : Long.compare(order, that.order);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            synchronized (ManualScheduler.this) {
                queue.remove(this);
            }
            return cancelled;
        }
    }
}
