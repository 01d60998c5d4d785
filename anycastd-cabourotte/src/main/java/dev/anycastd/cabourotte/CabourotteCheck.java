package dev.anycastd.cabourotte;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.spi.Options;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A health check whose verdict is the latest result of one Cabourotte check, read with
 * {@code GET {url}/result/{name}} at each run (or from {@code GET {url}/result}, one read shared
 * by every such check of the same Cabourotte, see {@link ResultList}) and, when a {@link PushRoute} is configured,
 * also received as Cabourotte's HTTP exporter pushes it.
 *
 * <p>With pushes, results are ordered by Cabourotte's {@code healthcheck-timestamp}: a read
 * that answers with an older result than one already pushed (a poll that crossed a push) gives
 * the newer one instead, so a slow poll cannot undo a fresher push. {@code max-age} applies to
 * pushed results as to read ones.
 *
 * <p>No timestamp is trusted beyond this host's clock: one more than {@link #CLOCK_TOLERANCE}
 * ahead of it is taken as "now" (and logged when that starts and ends), so a result dated in
 * the future, forged or from a Cabourotte whose clock runs ahead, can never outrank the results
 * that follow it, a failure included.
 *
 * <p>Each kind of outcome ({@link Outcome}) is logged when it starts and, if it is not
 * {@link Outcome#PASSING}, again when it ends, with how many reads it lasted; a repeating
 * failure is not logged at every read.
 *
 * <p>{@link #check()} is called by one thread at a time (the runtime's promise), pushes arrive
 * on the receiver's threads; the outcome bookkeeping, the newest result and the subscription
 * are guarded by {@code this}.
 */
final class CabourotteCheck implements HealthCheck {

    /**
     * Added to the request timeout in {@link #timeout()}: the runtime cuts a run only when the
     * request's own deadline, which gives the more precise reason, has had time to fire.
     */
    static final Duration RUNTIME_GRACE = Duration.ofMillis(200);

    /**
     * How far ahead of this host's clock a result's timestamp may be before it is taken as "now":
     * Cabourotte's timestamps are whole seconds, so a correct clock is never this far ahead.
     */
    static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(CabourotteCheck.class);
    private static final int EXCERPT_CHARS = 200;

    /** The kinds of outcome, each logged once when it starts and once when it ends. */
    enum Outcome {
        PASSING("passing", "passing"),
        FAILING("failing", "failing in Cabourotte"),
        MISSING("missing", "missing from Cabourotte"),
        STALE("stale", "stale"),
        UNREACHABLE("unreachable", "unreachable"),
        TIMED_OUT("timed_out", "timing out"),
        ERROR_STATUS("error_status", "getting HTTP errors"),
        BAD_ANSWER("bad_answer", "getting answers that are not its result"),
        REQUEST_FAILED("request_failed", "failing to be read");

        /** The stable value of the {@code outcome} log key. */
        final String key;
        /** How the outcome reads in a sentence. */
        final String phrase;

        Outcome(String key, String phrase) {
            this.key = key;
            this.phrase = phrase;
        }
    }

    /** What one read or push gave. */
    record Reading(Outcome outcome, Health health) {
    }

    /**
     * Where a check receives pushed results: a path declared on a receiver that checks naming
     * the same listen address share; {@code secured} when the path was declared with a secret.
     */
    record PushRoute(PushReceiver receiver, String path, boolean secured) {
        PushRoute {
            Objects.requireNonNull(receiver, "receiver");
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return receiver.urlOf(path);
        }
    }

    private final String name;
    private final CabourotteClient client;
    private final Duration interval;
    private final Duration requestTimeout;
    private final Duration maxAge;
    private final Clock clock;
    private final PushRoute push;
    /** The shared {@code GET /result} of its client the check reads from, or {@code null} to read its own result. */
    private final ResultList resultList;
    /** Whether {@link #resultList} is read only while {@link ResultList#worthReading()} says so. */
    private final boolean automatic;
    /** {@code GET /result/{name}}, made once. */
    private final HttpRequest request;

    /** Guarded by {@code this}: the pushes' subscription while subscribed, and the newest result seen, if pushes are on. */
    private PushReceiver.Subscription subscription;
    private boolean closed;
    private CabourotteResult newest;
    /** Guarded by {@code this}: whether {@link #newest} was dated ahead of the clock, so outranks no later result. */
    private boolean newestDatedAhead;
    /** Guarded by {@code this}: whether the last result received was dated ahead of the clock, for its log lines. */
    private boolean datedAhead;

    /** Guarded by {@code this}: the current outcome, when it started and how many reads it has lasted. */
    private Outcome outcome;
    private Instant outcomeSince;
    private long outcomeReads;

    /**
     * @param maxAge results older than this are stale, or {@code null} to accept any age
     * @param clock what "now" is for {@code maxAge} and for how long an outcome lasted
     * @param push where pushed results are received, or {@code null} to only poll
     * @param resultList the shared {@code GET /result} of the client to read the result from, or {@code null} to
     *     read {@code GET /result/{name}}
     * @param automatic whether {@code resultList} is read only while it is worth it, else {@code GET /result/{name}};
     *     the check then counts as one of the list's members until {@link #close()}
     */
    CabourotteCheck(String name, CabourotteClient client, Duration interval, Duration requestTimeout, Duration maxAge,
            Clock clock, PushRoute push, ResultList resultList, boolean automatic) {
        this.name = Objects.requireNonNull(name, "name");
        this.client = Objects.requireNonNull(client, "client");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.maxAge = maxAge;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.push = push;
        this.resultList = resultList;
        this.automatic = automatic && resultList != null;
        this.request = client.resultRequest(name, requestTimeout);
        if (this.automatic) {
            resultList.member(true);
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** {@code cabourotte dns at http://127.0.0.1:9013}: the check Cabourotte runs and where it is read. */
    @Override
    public String describe() {
        return CabourotteCheckProvider.TYPE + " " + name + " at " + client.url();
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public Duration timeout() {
        return requestTimeout.plus(RUNTIME_GRACE);
    }

    /** The request timeout, max-age and where pushes are received, as check-config lists them; never the push secret. */
    @Override
    public List<String> settings() {
        List<String> settings = new ArrayList<>();
        settings.add("timeout " + Options.format(requestTimeout));
        if (maxAge != null) {
            settings.add("max-age " + Options.format(maxAge));
        }
        if (push != null) {
            settings.add("push-listen " + URI.create(push.toString()).getRawAuthority());
            settings.add("push-path " + push.path());
            settings.add(push.secured() ? "push-secret set" : "no push-secret");
        }
        return List.copyOf(settings);
    }

    /** The bound on one request to Cabourotte. */
    Duration requestTimeout() {
        return requestTimeout;
    }

    /** The freshness bound, or {@code null} for none. */
    Duration maxAge() {
        return maxAge;
    }

    /** The client this check reads with, shared with every check of the same Cabourotte. */
    CabourotteClient client() {
        return client;
    }

    /** Where pushed results are received, or {@code null} when the check only polls. */
    PushRoute push() {
        return push;
    }

    /**
     * Subscribes to the results Cabourotte pushes for this check's name, when a push route is
     * configured; each is judged as a read result is (max-age included) and handed to
     * {@code sink}, unless a newer result was already seen.
     *
     * @throws IllegalStateException if called twice, or after {@link #close()}
     */
    @Override
    public void pushResultsTo(Consumer<Health> sink) {
        Objects.requireNonNull(sink, "sink");
        if (push == null) {
            return;
        }
        synchronized (this) {
            if (subscription != null || closed) {
                throw new IllegalStateException(this + " already " + (closed ? "closed" : "receives pushes"));
            }
            subscription = push.receiver().subscribe(push.path(), name, result -> {
                Reading reading = pushed(result);
                if (reading != null) {
                    sink.accept(reading.health());
                }
            });
        }
    }

    /** Ends the subscription to pushed results; the shared receiver closes its socket with its last check. */
    @Override
    public void close() {
        PushReceiver.Subscription ending;
        synchronized (this) {
            if (automatic && !closed) {
                resultList.member(false);
            }
            closed = true;
            ending = subscription;
            subscription = null;
        }
        if (ending != null) {
            ending.close();
        }
    }

    /** The reading of a pushed result, or {@code null} when a newer result was seen already. */
    Reading pushed(CabourotteResult pushed) {
        boolean ahead = datedAhead(pushed);
        CabourotteResult result = ahead ? asOfNow(pushed) : pushed;
        synchronized (this) {
            if (outranked(result)) {
                return null;
            }
            remember(result, ahead);
        }
        Reading reading = judge(result, "pushed a result");
        record(reading);
        return reading;
    }

    @Override
    public Health check() {
        if (push != null && subscribed()) {
            push.receiver().ensureListening();
        }
        Reading reading;
        try {
            reading = read();
        } catch (InterruptedException e) {
            // The runtime gave up on this run and has already reported it; not an outcome of Cabourotte's.
            Thread.currentThread().interrupt();
            return Health.unknown("reading check \"" + name + "\" from Cabourotte was interrupted");
        }
        record(reading);
        return reading.health();
    }

    Reading read() throws InterruptedException {
        CabourotteClient.Answer answer = null;
        CabourotteResult result = null;
        try {
            ResultList.Listing listing = resultList != null && (!automatic || resultList.worthReading()) ? listing() : null;
            if (listing != null) {
                answer = listing.answer();
                if (answer.status() != 200) {
                    return errorStatus(answer);
                }
                if (listing.malformed() != null) {
                    return badAnswer(answer, "a body that is not a list of check results: " + listing.malformed()
                            + excerpt(answer.body()));
                }
                CabourotteResult.Listed item = listing.results().get(name);
                if (item == null) {
                    return missing();
                }
                if (item instanceof CabourotteResult.Listed.Malformed malformed) {
                    return badAnswer(answer, "a result of check \"" + name + "\" that is not valid: " + malformed.problem());
                }
                result = ((CabourotteResult.Listed.Valid) item).result();
            } else {
                answer = client.getResult(request, requestTimeout);
                if (answer.status() == 404) {
                    return missing();
                }
                if (answer.status() != 200) {
                    return errorStatus(answer);
                }
                try {
                    result = CabourotteResult.parse(answer.body());
                } catch (CabourotteResult.MalformedException e) {
                    return badAnswer(answer, "a body that is not a check result: " + e.getMessage() + excerpt(answer.body()));
                }
                if (!result.name().equals(name)) {
                    return badAnswer(answer, "the result of check \"" + printable(result.name()) + "\"");
                }
            }
        } catch (CabourotteException e) {
            return new Reading(outcomeOf(e.kind()), Health.unknown(e.getMessage()));
        }
        boolean ahead = datedAhead(result);
        if (ahead) {
            result = asOfNow(result);
        }
        if (push != null) {
            synchronized (this) {
                if (outranked(result)) {
                    return judge(newest, "pushed a result");
                }
                remember(result, ahead);
            }
        }
        return judge(result, "answered GET " + answer.uri() + " with a result");
    }

    /**
     * The shared listing; {@code null} when this check chose it automatically and it is larger than
     * its bound, so the check reads its own result instead (as it will until the list is measured again).
     */
    private ResultList.Listing listing() throws CabourotteException, InterruptedException {
        try {
            return resultList.read(requestTimeout);
        } catch (CabourotteException e) {
            if (automatic && e.kind() == CabourotteException.Kind.TOO_LARGE) {
                return null;
            }
            throw e;
        }
    }

    private Reading missing() {
        return new Reading(Outcome.MISSING, Health.unhealthy("check \"" + name + "\" does not exist in Cabourotte at " + client.url()));
    }

    private static Reading errorStatus(CabourotteClient.Answer answer) {
        String hint = answer.status() == 401 || answer.status() == 403 ? "; check username and password" : "";
        return new Reading(Outcome.ERROR_STATUS, Health.unknown("Cabourotte answered GET " + answer.uri() + " with HTTP "
                + answer.status() + excerpt(answer.body()) + hint));
    }

    /**
     * The reading of a valid result of this check.
     *
     * @param how how Cabourotte gave it, for messages: {@code answered GET URL with a result}, {@code pushed a result}
     */
    private Reading judge(CabourotteResult result, String how) {
        if (maxAge != null) {
            if (result.ranAt().isEmpty()) {
                return new Reading(Outcome.BAD_ANSWER, Health.unknown("Cabourotte " + how
                        + " without a numeric \"healthcheck-timestamp\", so max-age cannot be checked"));
            }
            Duration age = Duration.between(result.ranAt().get(), clock.instant());
            if (age.compareTo(maxAge) > 0) {
                return new Reading(Outcome.STALE, Health.unknown("the latest result of check \"" + name + "\" in Cabourotte at "
                        + client.url() + " is from " + result.ranAt().get() + ", " + age.toSeconds()
                        + " s ago, older than max-age " + describe(maxAge) + "; is Cabourotte still running the check?"));
            }
        }
        if (result.success()) {
            return new Reading(Outcome.PASSING, Health.healthy());
        }
        String message = result.message().isBlank()
                ? "Cabourotte reports check \"" + name + "\" failing, without a message"
                : printable(result.message());
        return new Reading(Outcome.FAILING, Health.unhealthy(message));
    }

    /**
     * Whether the result is dated more than {@link #CLOCK_TOLERANCE} ahead of this host's clock;
     * logs when such results start and stop arriving.
     */
    private boolean datedAhead(CabourotteResult result) {
        Instant now = clock.instant();
        boolean ahead = result.ranAt().isPresent() && result.ranAt().get().isAfter(now.plus(CLOCK_TOLERANCE));
        boolean changed;
        synchronized (this) {
            changed = ahead != datedAhead;
            datedAhead = ahead;
        }
        if (changed && ahead) {
            Duration by = Duration.between(now, result.ranAt().get());
            log.atWarn().addKeyValue("check", name).addKeyValue("url", client.url().toString())
                    .addKeyValue("timestamp", result.ranAt().get().toString()).addKeyValue("ahead_ms", by.toMillis())
                    .log("Cabourotte check \"{}\" has a result dated {} ahead of this host's clock; taking it as run now,"
                            + " and letting the results after it replace it whatever their dates. Are both clocks synchronised?",
                            name, describe(by));
        } else if (changed) {
            log.atInfo().addKeyValue("check", name).addKeyValue("url", client.url().toString())
                    .log("Cabourotte check \"{}\" has results dated within this host's clock again.", name);
        }
        return ahead;
    }

    /** The result as if it ran now: what a result dated in the future is taken for, max-age included. */
    private CabourotteResult asOfNow(CabourotteResult result) {
        return new CabourotteResult(result.name(), result.success(), result.message(), Optional.of(clock.instant()));
    }

    /** Whether a newer result than {@code result} was seen; a result dated ahead of the clock outranks none. */
    private boolean outranked(CabourotteResult result) {
        assert Thread.holdsLock(this);
        return newest != null && !newestDatedAhead && isOlder(result, newest);
    }

    private void remember(CabourotteResult result, boolean ahead) {
        assert Thread.holdsLock(this);
        newest = result;
        newestDatedAhead = ahead;
    }

    /** Whether {@code result} ran before {@code than}; a result without a timestamp counts as new. */
    private static boolean isOlder(CabourotteResult result, CabourotteResult than) {
        return result.ranAt().isPresent() && than.ranAt().isPresent() && result.ranAt().get().isBefore(than.ranAt().get());
    }

    private synchronized boolean subscribed() {
        return subscription != null;
    }

    /** Logs the start of a new kind of outcome and the end of the previous one. */
    private void record(Reading reading) {
        Outcome previous;
        Instant since;
        long reads;
        Instant now = clock.instant();
        synchronized (this) {
            if (reading.outcome() == outcome) {
                outcomeReads++;
                return;
            }
            previous = outcome;
            since = outcomeSince;
            reads = outcomeReads;
            outcome = reading.outcome();
            outcomeSince = now;
            outcomeReads = 1;
        }
        if (previous != null && previous != Outcome.PASSING) {
            Duration lasted = Duration.between(since, now);
            log.atInfo().addKeyValue("check", name).addKeyValue("url", client.url().toString())
                    .addKeyValue("outcome", previous.key).addKeyValue("reads", reads)
                    .addKeyValue("lasted_ms", lasted.toMillis())
                    .log("Cabourotte check \"{}\" is no longer {}, after {} reads over {}.", name, previous.phrase, reads,
                            describe(lasted));
        }
        if (reading.outcome() == Outcome.PASSING) {
            log.atInfo().addKeyValue("check", name).addKeyValue("url", client.url().toString())
                    .addKeyValue("outcome", Outcome.PASSING.key)
                    .log("Cabourotte check \"{}\" at {} is passing.", name, client.url());
        } else {
            log.atWarn().addKeyValue("check", name).addKeyValue("url", client.url().toString())
                    .addKeyValue("outcome", reading.outcome().key).addKeyValue("reason", reasonOf(reading.health()))
                    .log("Cabourotte check \"{}\" is {}: {}", name, reading.outcome().phrase, reasonOf(reading.health()));
        }
    }

    private static String reasonOf(Health health) {
        if (health instanceof Health.Unhealthy unhealthy) {
            return unhealthy.reason();
        }
        if (health instanceof Health.Unknown unknown) {
            return unknown.error();
        }
        return health.describe();
    }

    private Reading badAnswer(CabourotteClient.Answer answer, String what) {
        return new Reading(Outcome.BAD_ANSWER, Health.unknown("Cabourotte answered GET " + answer.uri() + " with " + what));
    }

    private static Outcome outcomeOf(CabourotteException.Kind kind) {
        return switch (kind) {
            case UNREACHABLE -> Outcome.UNREACHABLE;
            case TIMED_OUT -> Outcome.TIMED_OUT;
            case TOO_LARGE -> Outcome.BAD_ANSWER;
            case FAILED -> Outcome.REQUEST_FAILED;
        };
    }

    /** The start of a body for a message: {@code : <text>}, control characters replaced, or empty. */
    private static String excerpt(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, EXCERPT_CHARS * 4), StandardCharsets.UTF_8).strip();
        if (text.length() > EXCERPT_CHARS) {
            text = text.substring(0, EXCERPT_CHARS) + "…";
        }
        return text.isEmpty() ? "" : ": " + printable(text);
    }

    /** Text from Cabourotte as one log line: control characters (newlines included) become spaces. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return out.toString();
    }

    /** {@code 1500 ms}, {@code 10 s}: the shortest exact form. */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    @Override
    public String toString() {
        return "CabourotteCheck[" + name + " at " + client.url() + "]";
    }
}
