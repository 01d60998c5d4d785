package dev.anycastd.testkit;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.PrefixBatch;
import dev.anycastd.core.prefix.RoutingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A fake {@link Prefix}: a routing daemon of one prefix that lives in memory. It keeps the
 * history of successful operations and can be told to fail, to hang until released, or to
 * "forget" its announcement behind the runtime's back (drift, as after a routing daemon
 * restart). It behaves like a well-behaved real prefix: idempotent, interruptible.
 *
 * <p>This is a test double; nothing is announced anywhere. Thread-safe.
 */
public final class FakePrefix implements Prefix {

    /** An operation that changed (or confirmed) the fake's state. */
    public enum Operation {
        /** {@link Prefix#announce()} succeeded. */
        ANNOUNCE,
        /** {@link Prefix#withdraw()} succeeded. */
        WITHDRAW
    }

    private final IpPrefix prefix;
    private final FakePrefixBatch batch;
    private final List<Operation> history = new ArrayList<>();
    private boolean announced;
    private int attempts;
    private int failuresLeft;
    private String failure;
    private CountDownLatch hang;
    private String unusable;

    private FakePrefix(IpPrefix prefix, FakePrefixBatch batch) {
        this.prefix = prefix;
        this.batch = batch;
    }

    /** A fake of {@code prefix} (a bare address is a host route), withdrawn, changed alone. */
    public static FakePrefix of(String prefix) {
        return new FakePrefix(IpPrefix.parse(prefix), null);
    }

    /** A fake of {@code prefix} that is changed together with the other members of {@code batch}. */
    public static FakePrefix inBatch(String prefix, FakePrefixBatch batch) {
        return new FakePrefix(IpPrefix.parse(prefix), batch);
    }

    @Override
    public IpPrefix prefix() {
        return prefix;
    }

    @Override
    public void announce() throws RoutingException {
        operate(Operation.ANNOUNCE);
    }

    @Override
    public void withdraw() throws RoutingException {
        operate(Operation.WITHDRAW);
    }

    @Override
    public boolean isAnnounced() throws RoutingException {
        awaitHang();
        synchronized (this) {
            failIfTold();
            return announced;
        }
    }

    /** Fails while {@link #unusable(String)} says the fake routing daemon cannot carry this prefix. */
    @Override
    public synchronized void verify() throws RoutingException {
        if (unusable != null) {
            throw new RoutingException(unusable);
        }
    }

    /** Makes {@link #verify()} fail with {@code reason}, as a routing daemon without BGP would; {@code null} ends it. */
    public synchronized void unusable(String reason) {
        unusable = reason;
    }

    @Override
    public PrefixBatch batch() {
        return batch;
    }

    @Override
    public String describe() {
        return prefix + " (fake)";
    }

    /** Whether the fake routing daemon announces the prefix now. */
    public synchronized boolean announced() {
        return announced;
    }

    /** The successful operations, oldest first. */
    public synchronized List<Operation> history() {
        return List.copyOf(history);
    }

    /** How many announce/withdraw calls were made, failed ones included. */
    public synchronized int attempts() {
        return attempts;
    }

    /** Makes every following operation fail with {@code message}, until {@link #heal()}. */
    public synchronized void failWith(String message) {
        failure = message;
        failuresLeft = Integer.MAX_VALUE;
    }

    /** Makes the next {@code count} operations fail with {@code message}. */
    public synchronized void failNext(int count, String message) {
        failure = message;
        failuresLeft = count;
    }

    /** Ends {@link #failWith} and {@link #hang()}. */
    public void heal() {
        CountDownLatch released;
        synchronized (this) {
            failuresLeft = 0;
            failure = null;
            released = hang;
            hang = null;
        }
        if (released != null) {
            released.countDown();
        }
    }

    /** Makes every following operation block until {@link #heal()} or until interrupted. */
    public synchronized void hang() {
        if (hang == null) {
            hang = new CountDownLatch(1);
        }
    }

    /** Drops the announcement without an operation: what a routing daemon restart does. */
    public synchronized void forget() {
        announced = false;
    }

    /** Announces without an operation: a leftover from before the daemon started. */
    public synchronized void leftOverAnnounced() {
        announced = true;
    }

    void operate(Operation operation) throws RoutingException {
        synchronized (this) {
            attempts++;
        }
        awaitHang();
        synchronized (this) {
            failIfTold();
            announced = operation == Operation.ANNOUNCE;
            history.add(operation);
        }
    }

    private void awaitHang() throws RoutingException {
        CountDownLatch latch;
        synchronized (this) {
            latch = hang;
        }
        if (latch != null) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RoutingException("fake routing daemon: interrupted while hanging", e);
            }
        }
    }

    private void failIfTold() throws RoutingException {
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new RoutingException("fake routing daemon: " + failure);
        }
    }
}
