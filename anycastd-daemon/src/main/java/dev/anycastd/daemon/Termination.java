package dev.anycastd.daemon;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Why {@code anycastd run} ends: a signal, or an internal failure. Completed once, by a signal
 * handler or a failing thread (the first cause wins); awaited by the thread that runs the daemon.
 */
final class Termination {

    /** What ended the run. */
    sealed interface Cause {
    }

    /** @param name the signal, e.g. {@code SIGTERM} */
    record Signal(String name) implements Cause {
    }

    /** @param error what failed unexpectedly */
    record Failure(Throwable error) implements Cause {
    }

    private final AtomicReference<Cause> cause = new AtomicReference<>();
    private final CountDownLatch ended = new CountDownLatch(1);

    /** The daemon received {@code name}, e.g. {@code SIGTERM}. */
    void signal(String name) {
        end(new Signal(name));
    }

    /** Something failed that the daemon cannot go on after. */
    void fail(Throwable error) {
        end(new Failure(error));
    }

    /** Blocks until the first cause arrives. */
    Cause await() throws InterruptedException {
        ended.await();
        return cause.get();
    }

    private void end(Cause first) {
        if (cause.compareAndSet(null, first)) {
            ended.countDown();
        }
    }
}
