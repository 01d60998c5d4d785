package dev.anycastd.cabourotte;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A log for problems that a client can repeat as often as it sends requests. Each problem is
 * logged when it starts; while it goes on, at most one more line per {@link #window()}, saying
 * how many times it happened since its previous line; and, once it has not happened for a whole
 * window, one line saying it ended and how many times it happened in all. Whatever a client
 * does, a problem writes at most one line per window, and the set of problems is fixed by the
 * code (their keys never hold client input), so the log stays small.
 *
 * <p>An ended problem is noticed at the next {@link #occurred} or {@link #sweep()}, whichever
 * comes first. Every line carries the key-values {@code problem} (the problem's key) and, but
 * on the first line, {@code occurrences}.
 *
 * <p>Lines are written through the owner's logger, so they carry its name: the owner hands over
 * {@code logger::atLevel}. Thread-safe: lines are written under this object's lock, so the lines
 * of a problem are in order.
 */
final class ThrottledLog {

    /**
     * One occurrence of a problem.
     *
     * @param key what kind of problem this is, stable and free of client input: one line per window is written per key
     * @param message the sentence logged when the problem starts, and with a count while it repeats
     * @param keyValues logged with the message, in this order
     * @param cause logged with the first line only, or {@code null}
     * @param ended the sentence logged when the problem ended, given how many times it happened in all
     */
    record Problem(String key, Level level, String message, Map<String, Object> keyValues, Throwable cause,
            LongFunction<String> ended) {
        Problem {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(message, "message");
            keyValues = Collections.unmodifiableMap(new LinkedHashMap<>(keyValues));
            Objects.requireNonNull(ended, "ended");
        }
    }

    /** A problem going on: guarded by the log's lock. */
    private static final class Streak {
        Problem latest;
        Instant lastLine;
        Instant lastSeen;
        long sinceLastLine;
        long total;
    }

    /** Starts a line at a level, on the owner's logger. */
    private final Function<Level, LoggingEventBuilder> lines;
    private final Duration window;
    private final Clock clock;
    /** Guarded by {@code this}: the problems going on, by key. */
    private final Map<String, Streak> streaks = new LinkedHashMap<>();

    /** @param lines {@code atLevel} of the logger to write to */
    ThrottledLog(Function<Level, LoggingEventBuilder> lines, Duration window, Clock clock) {
        this.lines = Objects.requireNonNull(lines, "lines");
        this.window = Objects.requireNonNull(window, "window");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window: must be positive, got " + window);
        }
    }

    /** How often, at most, a repeating problem is logged. */
    Duration window() {
        return window;
    }

    /** Records one occurrence of {@code problem}: logs it if it starts now, or if its last line is a window old. */
    synchronized void occurred(Problem problem) {
        Instant now = clock.instant();
        endQuiet(now);
        Streak streak = streaks.get(problem.key());
        if (streak == null) {
            streak = new Streak();
            streak.latest = problem;
            streak.lastLine = now;
            streak.lastSeen = now;
            streak.total = 1;
            streaks.put(problem.key(), streak);
            LoggingEventBuilder line = withKeyValues(lines.apply(problem.level()), problem);
            (problem.cause() == null ? line : line.setCause(problem.cause())).log("{}", problem.message());
            return;
        }
        streak.latest = problem;
        streak.lastSeen = now;
        streak.total++;
        streak.sinceLastLine++;
        Duration sinceLine = Duration.between(streak.lastLine, now);
        if (sinceLine.isNegative()) {
            // The clock went back: start the window again rather than stay silent for as long.
            streak.lastLine = now;
        } else if (sinceLine.compareTo(window) >= 0) {
            withKeyValues(lines.apply(problem.level()), problem).addKeyValue("occurrences", streak.sinceLastLine)
                    .log("{} ({} times in the last {} s; a repeating problem is logged at most every {} s.)",
                            problem.message(), streak.sinceLastLine, sinceLine.toSeconds(), window.toSeconds());
            streak.lastLine = now;
            streak.sinceLastLine = 0;
        }
    }

    /** Logs the end of every problem that has not happened for a whole window. */
    synchronized void sweep() {
        endQuiet(clock.instant());
    }

    /** Guarded by {@code this}. A problem that happens again after a quiet window is a new one: it ends here first. */
    private void endQuiet(Instant now) {
        for (Iterator<Map.Entry<String, Streak>> entries = streaks.entrySet().iterator(); entries.hasNext(); ) {
            Map.Entry<String, Streak> entry = entries.next();
            Streak streak = entry.getValue();
            Duration quiet = Duration.between(streak.lastSeen, now);
            if (quiet.compareTo(window) < 0) {
                continue;
            }
            entries.remove();
            withKeyValues(lines.apply(Level.INFO), streak.latest).addKeyValue("occurrences", streak.total)
                    .log("{}", streak.latest.ended().apply(streak.total));
        }
    }

    private static LoggingEventBuilder withKeyValues(LoggingEventBuilder line, Problem problem) {
        line = line.addKeyValue("problem", problem.key());
        for (Map.Entry<String, Object> keyValue : problem.keyValues().entrySet()) {
            line = line.addKeyValue(keyValue.getKey(), keyValue.getValue());
        }
        return line;
    }
}
