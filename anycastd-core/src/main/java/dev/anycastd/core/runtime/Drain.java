package dev.anycastd.core.runtime;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator's drain of one service: its prefixes stay withdrawn whatever its checks say, until
 * it is resumed or, when {@code until} is present, until that moment.
 *
 * @param reason what the operator said, for status and logs; empty when nothing was said
 * @param since when the drain began
 * @param until when the drain ends by itself; empty for a drain that lasts until resumed
 */
public record Drain(String reason, Instant since, Optional<Instant> until) {

    /** Requires every part; a blank reason becomes empty. */
    public Drain {
        reason = Objects.requireNonNull(reason, "reason").strip();
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
    }

    /** Whether the drain has run out at {@code now}. */
    public boolean expiredAt(Instant now) {
        return until.isPresent() && !until.get().isAfter(now);
    }
}
