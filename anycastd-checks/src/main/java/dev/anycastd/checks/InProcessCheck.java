package dev.anycastd.checks;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import java.time.Duration;

/**
 * What the checks of this module have in common: the name, interval and timeout they were
 * configured with, what they are called in check-config and logs, the log of their outcome
 * changes, and {@link #check()} as a wait for {@link #checkAsync()}, which each implements.
 */
abstract class InProcessCheck implements HealthCheck {

    private final CheckBasics basics;
    private final String description;
    /** Logs this check's outcome when it changes; given to each run. */
    final CheckOutcomes outcomes;

    InProcessCheck(CheckBasics basics, String description) {
        this.basics = basics;
        this.description = description;
        this.outcomes = new CheckOutcomes(basics.name(), description);
    }

    @Override
    public final String name() {
        return basics.name();
    }

    @Override
    public final String describe() {
        return description;
    }

    @Override
    public final Duration interval() {
        return basics.interval();
    }

    @Override
    public final Duration timeout() {
        return basics.timeout();
    }

    /** Waits for {@link #checkAsync()}: each run completes itself at its timeout, so the wait is bounded. */
    @Override
    public final Health check() {
        return Waiting.forResult(checkAsync());
    }
}
