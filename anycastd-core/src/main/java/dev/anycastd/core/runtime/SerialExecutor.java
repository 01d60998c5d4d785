package dev.anycastd.core.runtime;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: one service's prefix
 * operations never overlap, without giving each service a thread of its own.
 */
final class SerialExecutor implements Executor {

    private final Executor delegate;
    /** Guarded by {@code this}. */
    private final Queue<Runnable> queue = new ArrayDeque<>();
    /** Guarded by {@code this}: whether a task of this executor is queued on or running in the delegate. */
    private boolean active;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            queue.add(task);
            if (active) {
                return;
            }
            active = true;
        }
        delegate.execute(this::drain);
    }

    /** Whether no task is queued or running. */
    synchronized boolean isIdle() {
        return !active;
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    active = false;
                    return;
                }
            }
            next.run();
        }
    }
}
