package dev.anycastd.testkit;

import dev.anycastd.core.prefix.PrefixRecord;
import dev.anycastd.core.runtime.Drain;
import dev.anycastd.core.runtime.StateStore;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * A fake {@link StateStore} that keeps its record in memory, so that one instance handed to two
 * runtimes one after the other plays a state directory that outlived a crash. It can be told
 * to fail. This is a test double; nothing is written anywhere. Thread-safe.
 */
public final class FakeStateStore implements StateStore {

    private Set<PrefixRecord> announced = Set.of();
    private Map<String, Drain> drains = Map.of();
    private String failure;

    @Override
    public synchronized Set<PrefixRecord> announced() throws IOException {
        failIfTold();
        return announced;
    }

    @Override
    public synchronized void recordAnnounced(Set<PrefixRecord> prefixes) throws IOException {
        failIfTold();
        announced = Set.copyOf(prefixes);
    }

    @Override
    public synchronized Map<String, Drain> drains() throws IOException {
        failIfTold();
        return drains;
    }

    @Override
    public synchronized void recordDrains(Map<String, Drain> drains) throws IOException {
        failIfTold();
        this.drains = Map.copyOf(drains);
    }

    /** The drains the store holds now. */
    public synchronized Map<String, Drain> recordedDrains() {
        return drains;
    }

    /** What the store holds now. */
    public synchronized Set<PrefixRecord> recorded() {
        return announced;
    }

    /** Makes every call fail with an {@link IOException} saying {@code message}, or succeed again with {@code null}. */
    public synchronized FakeStateStore failWith(String message) {
        this.failure = message;
        return this;
    }

    private void failIfTold() throws IOException {
        if (failure != null) {
            throw new IOException(failure);
        }
    }
}
