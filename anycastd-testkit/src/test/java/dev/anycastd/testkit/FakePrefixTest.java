package dev.anycastd.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.RoutingException;
import dev.anycastd.testkit.contract.PrefixContract;
import org.junit.jupiter.api.Test;

/** The fake honours the same contract as real prefixes, and fails when told to. */
class FakePrefixTest extends PrefixContract {

    private final FakePrefixBatch batch = new FakePrefixBatch();

    @Override
    protected Prefix newPrefix(int index) {
        return FakePrefix.inBatch("192.0.2." + (index + 1), batch);
    }

    @Test
    void failsTheNextOperationsWhenTold() throws RoutingException {
        FakePrefix prefix = FakePrefix.of("192.0.2.1");
        prefix.failNext(1, "boom");

        assertThatThrownBy(prefix::announce).isInstanceOf(RoutingException.class).hasMessage("fake routing daemon: boom");
        prefix.announce();
        assertThat(prefix.announced()).isTrue();
        assertThat(prefix.attempts()).isEqualTo(2);
    }

    @Test
    void forgettingDropsTheAnnouncementWithoutAnOperation() throws RoutingException {
        FakePrefix prefix = FakePrefix.of("192.0.2.1");
        prefix.announce();

        prefix.forget();

        assertThat(prefix.isAnnounced()).isFalse();
        assertThat(prefix.history()).containsExactly(FakePrefix.Operation.ANNOUNCE);
    }
}
