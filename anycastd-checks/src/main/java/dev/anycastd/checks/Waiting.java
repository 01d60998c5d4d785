package dev.anycastd.checks;

import dev.anycastd.core.check.Health;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * {@code check()} for the checks of this module, which run through {@code checkAsync()}: waits
 * for the run to end. Each run completes itself at its timeout, so the wait is bounded.
 */
final class Waiting {

    private Waiting() {
    }

    /** The result of {@code run}; an interrupt cancels the run and is unknown. */
    static Health forResult(CompletionStage<Health> run) {
        CompletableFuture<Health> future = run.toCompletableFuture();
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return Health.unknown("the check was interrupted");
        } catch (ExecutionException e) {
            return Health.unknown("check failed: " + e.getCause());
        }
    }
}
