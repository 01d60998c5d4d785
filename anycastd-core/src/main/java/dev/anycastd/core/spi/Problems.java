package dev.anycastd.core.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems found while reading one item's options, so that a wrong option does not hide the
 * next: each {@link #read} that fails adds its problems and gives {@code null}, and
 * {@link #throwIfAny()} reports them all at once. A provider's {@code create} reads every option
 * through one instance, then throws before it builds anything. Used by one thread.
 *
 * <pre>{@code
 * Problems problems = new Problems();
 * IpPrefix prefix = problems.read(() -> options.getPrefix("prefix"));
 * Duration timeout = problems.read(() -> options.getDuration("timeout", DEFAULT_TIMEOUT));
 * problems.throwIfAny();
 * }</pre>
 */
public final class Problems {

    /** One read of an option. */
    @FunctionalInterface
    public interface Read<T> {
        /** Reads the option. */
        T get() throws ConfigurationException;
    }

    private final List<ConfigurationException.Problem> found = new ArrayList<>();

    /** Problems of none so far. */
    public Problems() {
    }

    /** The value {@code read} gives, or {@code null} after adding the problems it threw. */
    public <T> T read(Read<T> read) {
        try {
            return read.get();
        } catch (ConfigurationException e) {
            found.addAll(e.problems());
            return null;
        }
    }

    /** Throws every problem found, in the order found, if there is any. */
    public void throwIfAny() throws ConfigurationException {
        if (!found.isEmpty()) {
            throw new ConfigurationException(ConfigurationException.Kind.INVALID, found);
        }
    }
}
