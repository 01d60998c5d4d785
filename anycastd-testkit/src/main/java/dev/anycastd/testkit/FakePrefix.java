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
 * <p>It has forms, like FRR's {@code network P route-map NAME}: {@link #through} gives the same
 * fake network through a named route policy, sharing this fake's routing daemon. Announcing a
 * form replaces the form announced before in place, with no withdrawal in between; the fake
 * records every form it was announced in ({@link #forms()}).
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
    /** The route policy of this form; null for the prefix itself. */
    private final String policy;
    /** The fake routing daemon's state of this network, shared by all its forms; its lock guards it. */
    private final Daemon daemon;

    /** What the fake routing daemon has of one network; guarded by itself. */
    private static final class Daemon {
        final List<Operation> history = new ArrayList<>();
        final List<String> forms = new ArrayList<>();
        boolean announced;
        String policy;
        int attempts;
        int failuresLeft;
        String failure;
        CountDownLatch hang;
        String unusable;
    }

    private FakePrefix(IpPrefix prefix, FakePrefixBatch batch, String policy, Daemon daemon) {
        this.prefix = prefix;
        this.batch = batch;
        this.policy = policy;
        this.daemon = daemon;
    }

    /** A fake of {@code prefix} (a bare address is a host route), withdrawn, changed alone. */
    public static FakePrefix of(String prefix) {
        return new FakePrefix(IpPrefix.parse(prefix), null, null, new Daemon());
    }

    /** A fake of {@code prefix} that is changed together with the other members of {@code batch}. */
    public static FakePrefix inBatch(String prefix, FakePrefixBatch batch) {
        return new FakePrefix(IpPrefix.parse(prefix), batch, null, new Daemon());
    }

    /** The same fake network through {@code routePolicy}, sharing this fake's routing daemon. */
    @Override
    public java.util.Optional<Prefix> through(String routePolicy) {
        return java.util.Optional.of(new FakePrefix(prefix, batch, java.util.Objects.requireNonNull(routePolicy, "routePolicy"), daemon));
    }

    @Override
    public boolean isAnnouncedExactly() throws RoutingException {
        awaitHang();
        synchronized (daemon) {
            failIfTold();
            return daemon.announced && java.util.Objects.equals(daemon.policy, policy);
        }
    }

    /** The route policy the fake network is announced through now; empty when withdrawn or announced as itself. */
    public java.util.Optional<String> announcedThrough() {
        synchronized (daemon) {
            return daemon.announced ? java.util.Optional.ofNullable(daemon.policy) : java.util.Optional.empty();
        }
    }

    /**
     * Every successful operation with its form, oldest first: {@code "announce"},
     * {@code "announce through DOWN"}, {@code "withdraw"}.
     */
    public List<String> forms() {
        synchronized (daemon) {
            return List.copyOf(daemon.forms);
        }
    }

    /** Announces the network through {@code routePolicy} (null: as itself) without an operation: a change by hand. */
    public void setByHand(String routePolicy) {
        synchronized (daemon) {
            daemon.announced = true;
            daemon.policy = routePolicy;
        }
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
        synchronized (daemon) {
            failIfTold();
            return daemon.announced;
        }
    }

    /** Fails while {@link #unusable(String)} says the fake routing daemon cannot carry this prefix (in any form). */
    @Override
    public void verify() throws RoutingException {
        synchronized (daemon) {
            if (daemon.unusable != null) {
                throw new RoutingException(daemon.unusable);
            }
        }
    }

    /** Makes {@link #verify()} fail with {@code reason}, as a routing daemon without BGP would; {@code null} ends it. */
    public void unusable(String reason) {
        synchronized (daemon) {
            daemon.unusable = reason;
        }
    }

    @Override
    public PrefixBatch batch() {
        return batch;
    }

    @Override
    public String describe() {
        return prefix + " (fake" + (policy == null ? "" : ", through " + policy) + ")";
    }

    /** Whether the fake routing daemon announces the prefix now, in any form. */
    public boolean announced() {
        synchronized (daemon) {
            return daemon.announced;
        }
    }

    /** The successful operations of every form, oldest first. */
    public List<Operation> history() {
        synchronized (daemon) {
            return List.copyOf(daemon.history);
        }
    }

    /** How many announce/withdraw calls were made, failed ones included. */
    public int attempts() {
        synchronized (daemon) {
            return daemon.attempts;
        }
    }

    /** Makes every following operation fail with {@code message}, until {@link #heal()}. */
    public void failWith(String message) {
        synchronized (daemon) {
            daemon.failure = message;
            daemon.failuresLeft = Integer.MAX_VALUE;
        }
    }

    /** Makes the next {@code count} operations fail with {@code message}. */
    public void failNext(int count, String message) {
        synchronized (daemon) {
            daemon.failure = message;
            daemon.failuresLeft = count;
        }
    }

    /** Ends {@link #failWith} and {@link #hang()}. */
    public void heal() {
        CountDownLatch released;
        synchronized (daemon) {
            daemon.failuresLeft = 0;
            daemon.failure = null;
            released = daemon.hang;
            daemon.hang = null;
        }
        if (released != null) {
            released.countDown();
        }
    }

    /** Makes every following operation block until {@link #heal()} or until interrupted. */
    public void hang() {
        synchronized (daemon) {
            if (daemon.hang == null) {
                daemon.hang = new CountDownLatch(1);
            }
        }
    }

    /** Drops the announcement without an operation: what a routing daemon restart does. */
    public void forget() {
        synchronized (daemon) {
            daemon.announced = false;
        }
    }

    /** Announces without an operation: a leftover from before the daemon started. */
    public void leftOverAnnounced() {
        synchronized (daemon) {
            daemon.announced = true;
        }
    }

    void operate(Operation operation) throws RoutingException {
        synchronized (daemon) {
            daemon.attempts++;
        }
        awaitHang();
        synchronized (daemon) {
            failIfTold();
            daemon.announced = operation == Operation.ANNOUNCE;
            daemon.policy = daemon.announced ? policy : null;
            daemon.history.add(operation);
            daemon.forms.add(operation == Operation.WITHDRAW ? "withdraw" : policy == null ? "announce" : "announce through " + policy);
        }
    }

    private void awaitHang() throws RoutingException {
        CountDownLatch latch;
        synchronized (daemon) {
            latch = daemon.hang;
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

    /** Under the daemon's lock. */
    private void failIfTold() throws RoutingException {
        if (daemon.failuresLeft > 0) {
            daemon.failuresLeft--;
            throw new RoutingException("fake routing daemon: " + daemon.failure);
        }
    }
}
