package dev.anycastd.testkit;

import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.PrefixBatch;
import dev.anycastd.core.prefix.RoutingException;
import java.util.List;

/**
 * A fake {@link PrefixBatch} for {@link FakePrefix}es made with {@link FakePrefix#inBatch}: it
 * applies the operation to each member and counts calls, so a test can see that N prefixes
 * cost one call. A member that fails makes the whole batch fail after the members before it
 * were applied, as FRR's batched vtysh does.
 *
 * <p>This is a test double. Thread-safe.
 */
public final class FakePrefixBatch implements PrefixBatch {

    private int calls;

    @Override
    public void announce(List<? extends Prefix> prefixes) throws RoutingException {
        apply(prefixes, FakePrefix.Operation.ANNOUNCE);
    }

    @Override
    public void withdraw(List<? extends Prefix> prefixes) throws RoutingException {
        apply(prefixes, FakePrefix.Operation.WITHDRAW);
    }

    /** How many batch announce/withdraw calls were made. */
    public synchronized int calls() {
        return calls;
    }

    private void apply(List<? extends Prefix> prefixes, FakePrefix.Operation operation) throws RoutingException {
        synchronized (this) {
            calls++;
        }
        for (Prefix prefix : prefixes) {
            ((FakePrefix) prefix).operate(operation);
        }
    }
}
