package dev.anycastd.core.check;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Port: one health check of a service.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>{@link #check()} never throws for a failed check: a failure is
 *       {@link Health.Unhealthy}, an error or timeout is {@link Health.Unknown}. An exception
 *       that escapes anyway is turned into {@code Unknown} by the runtime.</li>
 *   <li>{@code check()} should respect its own {@link #timeout()}; the runtime interrupts a
 *       run that exceeds it and records {@code Unknown}, so it should also respond to
 *       interruption.</li>
 *   <li>{@code check()} is never called concurrently for the same check, but different checks
 *       run on different threads at once.</li>
 *   <li>A check that waits on the network can implement {@link #checkAsync()} as well, so that
 *       a run waiting for an answer holds no thread of the runtime.</li>
 * </ul>
 */
public interface HealthCheck extends AutoCloseable {

    /** The check's name, unique within its service, used in logs. */
    String name();

    /**
     * What {@code anycastd check-config} and logs call this check: its type, its name and what it
     * checks, e.g. {@code cabourotte dns at http://127.0.0.1:9013} or {@code tcp web 127.0.0.1:8080}.
     * Include the name, so a reader can match it with the logs and {@code status}. Defaults to the
     * name alone.
     */
    default String describe() {
        return name();
    }

    /** How often the check is run. Positive. */
    Duration interval();

    /**
     * How long one run may take before it counts as {@link Health.Unknown}. Defaults to the
     * interval, so a check never overlaps with its next run.
     */
    default Duration timeout() {
        return interval();
    }

    /**
     * What {@code anycastd check-config} lists after the check's name and interval: the settings
     * an operator wants to confirm, each as written in the configuration, e.g.
     * {@code timeout 4s}, {@code max-age 30s}. Never a secret, at most whether one is set. The
     * default is none, and the listing then shows the {@link #timeout()} when it differs from
     * the interval.
     */
    default List<String> settings() {
        return List.of();
    }

    /** Runs the check once and reports the result. */
    Health check();

    /**
     * Starts one run and returns at once; the stage completes with the result. The runtime calls
     * this instead of {@link #check()}, on one of its shared worker threads, and the worker is
     * free again as soon as this method returns, so a check that waits for an answer (a
     * connection, a response, a process) without a thread of its own should implement it. The
     * same contract applies: a failure completes the stage with {@code Unhealthy}, an error with
     * {@code Unknown}; a stage completed exceptionally counts as {@code Unknown}. At the
     * {@link #timeout()}, the runtime reports {@code Unknown} and cancels
     * {@code stage.toCompletableFuture()}, so a check should release what the run holds when its
     * future completes in any way. Runs never overlap: the next starts only after the stage has
     * completed (or was cancelled).
     *
     * <p>The default runs {@link #check()} in the calling thread and returns its result as a
     * completed stage, which is how checks built before this method existed keep working.
     */
    default CompletionStage<Health> checkAsync() {
        return CompletableFuture.completedFuture(check());
    }

    /**
     * For checks that can also learn results without being asked (a checker that pushes each
     * result as it happens): the runtime calls this once when it starts, and the check hands
     * every pushed result to {@code sink}, from any thread, as soon as it arrives. The runtime
     * keeps polling {@link #check()} at the interval as a safety net. The default pushes
     * nothing.
     */
    default void pushResultsTo(Consumer<Health> sink) {
    }

    /**
     * Releases what the check holds (a listening socket for pushed results, say). Called once
     * by the runtime at shutdown; the check is not used afterwards. The default does nothing.
     */
    @Override
    default void close() {
    }
}
