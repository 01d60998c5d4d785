package dev.anycastd.core.runtime;

import java.util.List;

/**
 * A routing daemon cannot carry some prefixes: their {@link dev.anycastd.core.prefix.Prefix#verify()}
 * threw. {@link AnycastRuntime#start()} and {@link AnycastRuntime#reconfigure(List)} throw it
 * before they change anything, so nothing was announced or withdrawn.
 */
public final class UnusablePrefixesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Not serialized with the exception: a list of strings the message also holds. */
    private final transient List<String> failures;

    UnusablePrefixesException(List<String> failures) {
        super("the routing daemon cannot carry " + (failures.size() == 1 ? "a prefix" : failures.size() + " prefixes") + ": "
                + String.join("; ", failures));
        this.failures = List.copyOf(failures);
    }

    /** One line per prefix: the service, the prefix and the routing daemon's reason. */
    public List<String> failures() {
        return failures == null ? List.of() : failures;
    }
}
