package dev.anycastd.core.service;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A program to run whenever a service changes state ({@code on-change}), after the change has
 * been applied to the routing daemon. The anycastd daemon runs it, off the routing path, at most
 * one at a time per service, and kills it (with everything it started) after {@code timeout};
 * {@link dev.anycastd.core.runtime.AnycastRuntime} alone does not run it: it only publishes the
 * {@link dev.anycastd.core.runtime.RuntimeEvent.ChangeApplied} events a runner listens to.
 *
 * @param command the program, an absolute path, and its arguments; passed as they are, without a shell
 * @param timeout how long one run may take before it is killed; positive
 */
public record ChangeHook(List<String> command, Duration timeout) {

    /** The default timeout, 10 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Copies the command; requires a program and a positive timeout. */
    public ChangeHook {
        command = List.copyOf(command);
        Objects.requireNonNull(timeout, "timeout");
        if (command.isEmpty() || !command.get(0).startsWith("/")) {
            throw new IllegalArgumentException("a hook's command must start with the absolute path of a program, got " + command);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a hook's timeout must be positive, got " + timeout);
        }
    }
}
