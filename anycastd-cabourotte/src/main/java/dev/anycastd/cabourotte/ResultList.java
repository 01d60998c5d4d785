package dev.anycastd.cabourotte;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * <p>Checks that leave {@code read-all} unset ask {@link #worthReading()} before each read: the
 * list is read for them only while it is cheaper than one request per check, as measured on the
 * rounds it served (see there).
 *
 * <p>Thread-safe: the first caller of a round reads, the others wait for its answer (within
 * their own timeout).
 */
final class ResultList {

    /** How long a read serves later callers. */
    static final Duration REUSE = Duration.ofMillis(100);

    /**
     * For {@link #worthReading()}: how many results a listing may hold per check it serves. One
     * request of the JDK's HTTP client costs about as much CPU as parsing a few hundred results,
     * so this errs towards one request per check.
     */
    static final int RESULTS_PER_READER = 100;

    /** For {@link #worthReading()}: how often a list found not worth reading is measured again. */
    static final Duration PROBE = Duration.ofMinutes(1);

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
    /** Guarded by {@code this}: how many callers the current round served. */
    private int readers;
    /** Guarded by {@code this}: how many results the last answered listing held; -1 before one, MAX_VALUE when too large. */
    private int results = -1;
    /** Guarded by {@code this}: the {@code GET /result} last sent. */
    private HttpRequest request;
    /** Guarded by {@code this}: the checks that ask {@link #worthReading()}. */
    private int members;

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
            reader = !serving();
            if (reader) {
                current = new CompletableFuture<>();
                readers = 0;
            }
            readers++;
            round = current;
        }
        if (reader) {
            try {
                Listing listing = listing(client.getResults(request(timeout), timeout));
                answered(round, listing.results().size());
                round.complete(listing);
                return listing;
            } catch (CabourotteException | RuntimeException e) {
                answered(round, e instanceof CabourotteException failure && failure.kind() == CabourotteException.Kind.TOO_LARGE
                        ? Integer.MAX_VALUE : -1);
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
        try {
            return round.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CabourotteException failure) {
                throw failure;
            }
            URI uri = URI.create(client.url() + "/result");
            throw new CabourotteException(CabourotteException.Kind.FAILED, uri, "reading GET " + uri + " failed: " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException | CancellationException e) {
            URI uri = URI.create(client.url() + "/result");
            throw new CabourotteException(CabourotteException.Kind.TIMED_OUT, uri,
                    "Cabourotte did not answer GET " + uri + " within " + timeout.toMillis() + " ms", e);
        }
    }

    /**
     * Whether a check that leaves {@code read-all} unset should read from this list now: while a
     * round is under way or within {@link #REUSE} of its answer (joining it costs nothing); else
     * when at least two such checks exist and either no round was measured yet, or the last one
     * served at least two callers with at most {@link #RESULTS_PER_READER} results each. Checks
     * that do not run at the same moment (different intervals, added by a reload) so go back to
     * one request each, and a list found too long or not shared is measured again after {@link #PROBE}.
     */
    synchronized boolean worthReading() {
        if (serving()) {
            return true;
        }
        if (members < 2) {
            return false;
        }
        if (current == null || results < 0) {
            return true;
        }
        boolean cheaper = readers >= 2 && (long) results <= (long) RESULTS_PER_READER * readers;
        return cheaper || System.nanoTime() - answeredNanos > PROBE.toNanos();
    }

    /** A check that asks {@link #worthReading()} starts (or, with {@code false}, stops) using this list. */
    synchronized void member(boolean joins) {
        members += joins ? 1 : -1;
    }

    /** Guarded by {@code this}: whether the current round is under way or answered within {@link #REUSE}. */
    private boolean serving() {
        return current != null && (!current.isDone() || System.nanoTime() - answeredNanos <= reuse.toNanos());
    }

    /** The prepared {@code GET /result} for {@code timeout}: checks of one Cabourotte mostly share one timeout. */
    private synchronized HttpRequest request(Duration timeout) {
        if (request == null || !request.timeout().equals(Optional.of(timeout))) {
            request = client.resultsRequest(timeout);
        }
        return request;
    }

    private synchronized void answered(CompletableFuture<Listing> round, int count) {
        if (current == round) {
            answeredNanos = System.nanoTime();
            results = count;
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
