package dev.anycastd.cabourotte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.testkit.cabourotte.FakeCabourotte;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ResultList}'s choice for the checks that leave {@code read-all} unset, measured on the
 * rounds it served, against the testkit's fake Cabourotte. A reuse of zero ends each round with
 * its answer, so the next question is decided by the measurement alone.
 */
class ResultListTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final FakeCabourotte cabourotte = FakeCabourotte.start();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final ResultList list = new ResultList(
            new CabourotteClient(new CabourotteClient.Endpoint(cabourotte.url(), null, null), null), Duration.ZERO);

    @AfterEach
    void stop() {
        threads.shutdownNow();
        cabourotte.close();
    }

    @Test
    void isNotWorthReadingForACheckAlone() {
        list.member(true);

        assertThat(list.worthReading()).isFalse();
    }

    @Test
    void isWorthReadingForTwoChecksBeforeAnyRoundWasMeasured() {
        list.member(true);
        list.member(true);

        assertThat(list.worthReading()).isTrue();
    }

    @Test
    void staysWorthReadingWhileItsRoundsServeSeveralChecks() throws Exception {
        cabourotte.healthy("dns").healthy("ntp");
        list.member(true);
        list.member(true);

        readTogether();

        assertThat(list.worthReading()).isTrue();
        assertThat(cabourotte.requests()).extracting(FakeCabourotte.Request::rawPath).containsExactly("/result");
    }

    @Test
    void isNotWorthReadingOnceARoundServedOneCheckOnly() throws Exception {
        cabourotte.healthy("dns").healthy("ntp");
        list.member(true);
        list.member(true);

        list.read(TIMEOUT);

        assertThat(list.worthReading()).as("checks that do not read together pay one list each").isFalse();
    }

    @Test
    void isNotWorthReadingWhenItHoldsMoreResultsThanItsReadersNeed() throws Exception {
        for (int i = 0; i <= 2 * ResultList.RESULTS_PER_READER; i++) {
            cabourotte.healthy("check-" + i);
        }
        list.member(true);
        list.member(true);

        readTogether();

        assertThat(list.worthReading()).isFalse();
    }

    @Test
    void isNotWorthReadingOnceItsChecksLeave() {
        list.member(true);
        list.member(true);
        list.member(false);

        assertThat(list.worthReading()).isFalse();
    }

    /** Two reads in one round: the second asks while the first's (delayed) answer is awaited. */
    private void readTogether() throws Exception {
        cabourotte.delayAnswers(Duration.ofMillis(300));
        CompletableFuture<ResultList.Listing> first = CompletableFuture.supplyAsync(this::readOrFail, threads);
        await().atMost(PATIENCE).until(() -> cabourotte.requests().size() == 1);
        ResultList.Listing second = list.read(TIMEOUT);
        assertThat(first.get()).isSameAs(second);
    }

    private ResultList.Listing readOrFail() {
        try {
            return list.read(TIMEOUT);
        } catch (CabourotteException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
