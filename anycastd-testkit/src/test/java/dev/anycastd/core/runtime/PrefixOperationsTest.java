package dev.anycastd.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.testkit.FakePrefix;
import dev.anycastd.testkit.FakePrefixBatch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrefixOperationsTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final PrefixOperations operations = new PrefixOperations(new TimeLimit(scheduler), Duration.ofMillis(200),
            new AnnouncementRecord(null), () -> { }, java.time.Clock.systemUTC(), new RuntimeEvents(List.of()));

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aHungRoutingDaemonCostsOneTimeoutForTheWholeBatchNotOnePerPrefix() {
        FakePrefixBatch batch = new FakePrefixBatch();
        FakePrefix first = FakePrefix.inBatch("203.0.113.1", batch);
        FakePrefix second = FakePrefix.inBatch("203.0.113.2", batch);
        first.hang();
        second.hang();

        Map<Prefix, String> failures = operations.apply(List.of(first, second), false);

        assertThat(failures).containsOnlyKeys(first, second)
                .containsValue("not attempted: the time limit was reached");
        assertThat(first.attempts() + second.attempts()).as("only the batch call was tried, and timed out").isEqualTo(1);
    }

    @Test
    void aBatchThatFailsFastLeavesTimeToApplyItsPrefixesOneByOne() {
        FakePrefixBatch batch = new FakePrefixBatch();
        FakePrefix first = FakePrefix.inBatch("203.0.113.1", batch);
        FakePrefix second = FakePrefix.inBatch("203.0.113.2", batch);
        first.failNext(1, "one line failed");

        Map<Prefix, String> failures = operations.apply(List.of(first, second), true);

        assertThat(failures).isEmpty();
        assertThat(first.announced()).isTrue();
        assertThat(second.announced()).isTrue();
    }
}
