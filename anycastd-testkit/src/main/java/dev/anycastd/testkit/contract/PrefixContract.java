package dev.anycastd.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.PrefixBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Prefix} must honour, as JUnit 5 tests. A plugin author extends
 * this class and says how to make prefixes of their routing daemon:
 *
 * <pre>{@code
 * class BirdPrefixTest extends PrefixContract {
 *     protected Prefix newPrefix(int index) { return new BirdPrefix(...); }
 * }
 * }</pre>
 *
 * <p>Each test starts from prefixes that are withdrawn; the subclass cleans up after itself
 * (e.g. in {@code @AfterEach}).
 */
public abstract class PrefixContract {

    /**
     * A prefix of the routing daemon under test, withdrawn now. Different indexes give
     * different networks; prefixes made in one test may share a batch.
     */
    protected abstract Prefix newPrefix(int index) throws Exception;

    @Test
    void announcedPrefixReportsItselfAnnounced() throws Exception {
        Prefix prefix = newPrefix(0);

        prefix.announce();

        assertThat(prefix.isAnnounced()).isTrue();
    }

    @Test
    void withdrawnPrefixReportsItselfWithdrawn() throws Exception {
        Prefix prefix = newPrefix(0);
        prefix.announce();

        prefix.withdraw();

        assertThat(prefix.isAnnounced()).isFalse();
    }

    @Test
    void announcingTwiceSucceeds() throws Exception {
        Prefix prefix = newPrefix(0);

        prefix.announce();
        prefix.announce();

        assertThat(prefix.isAnnounced()).isTrue();
    }

    @Test
    void withdrawingAPrefixThatIsNotAnnouncedSucceeds() throws Exception {
        Prefix prefix = newPrefix(0);

        prefix.withdraw();
        prefix.withdraw();

        assertThat(prefix.isAnnounced()).isFalse();
    }

    @Test
    void aPrefixDescribesItselfWithItsNetwork() throws Exception {
        Prefix prefix = newPrefix(0);

        assertThat(prefix.describe()).contains(prefix.prefix().toString());
    }

    @Test
    void aBatchChangesAllItsMembersAndReadsThemBack() throws Exception {
        Prefix first = newPrefix(1);
        Prefix second = newPrefix(2);
        PrefixBatch batch = first.batch();
        if (batch == null || !batch.equals(second.batch())) {
            assertThat(first.prefix()).as("prefixes changed alone still need distinct networks").isNotEqualTo(second.prefix());
            return;
        }

        batch.announce(List.of(first, second));
        assertThat(batch.announced(List.of(first, second))).containsExactlyInAnyOrder(first.prefix(), second.prefix());
        assertThat(first.isAnnounced()).isTrue();

        batch.withdraw(List.of(first, second));
        assertThat(batch.announced(List.of(first, second))).isEmpty();
        assertThat(second.isAnnounced()).isFalse();
    }

    @Test
    void aBatchOfAnnouncedAndWithdrawnPrefixesEndsAllWithdrawn() throws Exception {
        Prefix announced = newPrefix(1);
        Prefix withdrawn = newPrefix(2);
        PrefixBatch batch = announced.batch();
        announced.announce();
        if (batch == null || !batch.equals(withdrawn.batch())) {
            announced.withdraw();
            withdrawn.withdraw();
        } else {
            batch.withdraw(List.of(withdrawn, announced));
        }

        assertThat(announced.isAnnounced()).isFalse();
        assertThat(withdrawn.isAnnounced()).isFalse();
    }
}
