package dev.anycastd.testkit;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * A fake {@link HealthCheck} whose result a test sets: healthy, unhealthy, unknown, or
 * hanging until released (to show that a hanging check is cut at its timeout). It starts
 * unhealthy ("not set yet"), so nothing is announced before a test says so.
 *
 * <p>This is a test double; it checks nothing. Thread-safe.
 */
public final class ScriptedHealthCheck implements HealthCheck {

    private final String name;
    private final Duration interval;
    private final Duration timeout;
    private Health next = Health.unhealthy("scripted check not set yet");
    private CountDownLatch hang;
    private int runs;
    private Consumer<Health> sink;
    private boolean closed;

    /** A check with the given name and interval; its timeout is the interval. */
    public ScriptedHealthCheck(String name, Duration interval) {
        this(name, interval, interval);
    }

    /** A check with the given name, interval and timeout. */
    public ScriptedHealthCheck(String name, Duration interval, Duration timeout) {
        this.name = Objects.requireNonNull(name, "name");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Health check() {
        CountDownLatch latch;
        synchronized (this) {
            runs++;
            latch = hang;
        }
        if (latch != null) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.unknown("scripted check interrupted");
            }
        }
        synchronized (this) {
            return next;
        }
    }

    /** Makes the following runs report {@code health}. */
    public synchronized void set(Health health) {
        next = Objects.requireNonNull(health, "health");
    }

    /** Makes the following runs healthy. */
    public void healthy() {
        set(Health.healthy());
    }

    /** Makes the following runs unhealthy for {@code reason}. */
    public void unhealthy(String reason) {
        set(Health.unhealthy(reason));
    }

    /** Makes the following runs block until {@link #release()} or until interrupted. */
    public synchronized void hang() {
        if (hang == null) {
            hang = new CountDownLatch(1);
        }
    }

    /** Ends {@link #hang()}. */
    public void release() {
        CountDownLatch released;
        synchronized (this) {
            released = hang;
            hang = null;
        }
        if (released != null) {
            released.countDown();
        }
    }

    @Override
    public synchronized void pushResultsTo(Consumer<Health> sink) {
        this.sink = sink;
    }

    /**
     * Pushes {@code health} to the runtime now, as a checker with push support would, and
     * makes it the result of the following runs too.
     *
     * @throws IllegalStateException if no runtime has subscribed yet
     */
    public void push(Health health) {
        Consumer<Health> subscriber;
        synchronized (this) {
            next = Objects.requireNonNull(health, "health");
            subscriber = sink;
        }
        if (subscriber == null) {
            throw new IllegalStateException("no runtime receives pushes from check " + name + " yet");
        }
        subscriber.accept(health);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    /** Whether the runtime closed this check. */
    public synchronized boolean closed() {
        return closed;
    }

    /** How many times {@link #check()} was called. */
    public synchronized int runs() {
        return runs;
    }
}
