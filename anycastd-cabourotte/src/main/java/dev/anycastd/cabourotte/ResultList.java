package dev.anycastd.cabourotte;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every result of one Cabourotte, read with one {@code GET /result} that all the checks asking
 * while it is under way, or within {@link #REUSE} after its answer arrived, share: a daemon whose
 * 1,000 checks run every second makes one request a second instead of 1,000, and parses one
 * body. A check so reads a result at most {@link #REUSE} older than a read of its own would.
 *
 * <p>Thread-safe: the first caller of a round reads, the others wait for its answer (within
 * their own timeout).
 */
final class ResultList {

    /** How long a read serves later callers. */
    static final Duration REUSE = Duration.ofMillis(100);

    /**
     * One read of the list.
     *
     * @param answer the HTTP answer
     * @param results each check's name to its item; empty unless the status is 200
     * @param malformed why the body is not a list of results, or {@code null}
     */
    record Listing(CabourotteClient.Answer answer, Map<String, CabourotteResult.Listed> results, String malformed) {
    }

    private final CabourotteClient client;
    private final Duration reuse;
    /** Guarded by {@code this}: the read of the current round, and when its answer arrived. */
    private CompletableFuture<Listing> current;
    private long answeredNanos;

    ResultList(CabourotteClient client, Duration reuse) {
        this.client = Objects.requireNonNull(client, "client");
        this.reuse = Objects.requireNonNull(reuse, "reuse");
    }

    /**
     * The listing of this round: the read under way, or one answered within {@link #REUSE}, or a new read.
     *
     * @throws CabourotteException when there is no complete answer within {@code timeout}
     * @throws InterruptedException when interrupted
     */
    Listing read(Duration timeout) throws CabourotteException, InterruptedException {
        CompletableFuture<Listing> round;
        boolean reader;
        synchronized (this) {
            reader = current == null || current.isDone() && System.nanoTime() - answeredNanos > reuse.toNanos();
            if (reader) {
                current = new CompletableFuture<>();
            }
            round = current;
        }
        if (reader) {
            try {
                Listing listing = listing(client.getResults(timeout));
                answered(round);
                round.complete(listing);
                return listing;
            } catch (CabourotteException | RuntimeException e) {
                answered(round);
                round.completeExceptionally(e);
                throw e;
            } catch (InterruptedException e) {
                // This caller's run was cut; the others must not take that as Cabourotte's answer.
                synchronized (this) {
                    if (current == round) {
                        current = null;
                    }
                }
                round.cancel(false);
                throw e;
            }
        }
        URI uri = URI.create(client.url() + "/result");
        try {
            return round.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CabourotteException failure) {
                throw failure;
            }
            throw new CabourotteException(CabourotteException.Kind.FAILED, uri, "reading GET " + uri + " failed: " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException | CancellationException e) {
            throw new CabourotteException(CabourotteException.Kind.TIMED_OUT, uri,
                    "Cabourotte did not answer GET " + uri + " within " + timeout.toMillis() + " ms", e);
        }
    }

    private synchronized void answered(CompletableFuture<Listing> round) {
        if (current == round) {
            answeredNanos = System.nanoTime();
        }
    }

    private static Listing listing(CabourotteClient.Answer answer) {
        if (answer.status() != 200) {
            return new Listing(answer, Map.of(), null);
        }
        try {
            return new Listing(answer, CabourotteResult.parseAll(answer.body()), null);
        } catch (CabourotteResult.MalformedException e) {
            return new Listing(answer, Map.of(), e.getMessage());
        }
    }
}
