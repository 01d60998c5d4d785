package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.prefix.PrefixRecord;
import dev.anycastd.core.runtime.Drain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {

    private static final PrefixRecord DNS = new PrefixRecord("frrouting",
            Map.of("prefix", "203.0.113.53/32", "vtysh", "/usr/bin/vtysh", "timeout", "5000ms"));
    private static final PrefixRecord NTP = new PrefixRecord("frrouting",
            Map.of("prefix", "2001:db8::123/128", "vrf", "ntp \"quoted\"\n", "vtysh", "/usr/bin/vtysh", "timeout", "5000ms"));

    @TempDir
    Path temp;

    @Test
    void readsBackWhatItRecorded() throws Exception {
        StateDirectory state = StateDirectory.open(temp.resolve("state"));

        state.recordAnnounced(Set.of(DNS, NTP));

        assertThat(StateDirectory.open(temp.resolve("state")).announced()).containsExactlyInAnyOrder(DNS, NTP);
        state.recordAnnounced(Set.of());
        assertThat(state.announced()).isEmpty();
        assertThat(Files.list(temp.resolve("state"))).as("no temporary file is left")
                .containsExactly(temp.resolve("state").resolve(StateDirectory.ANNOUNCED));
    }

    @Test
    void aDirectoryWithoutARecordHasNothingAnnounced() throws Exception {
        assertThat(StateDirectory.open(temp).announced()).isEmpty();
    }

    @Test
    void aRecordThatIsNotOursIsAnErrorNamingTheFile() throws Exception {
        Path file = Files.writeString(temp.resolve(StateDirectory.ANNOUNCED), "{\"version\":1,\"announced\":[{\"options\":{}}]}");

        assertThatThrownBy(() -> StateDirectory.open(temp).announced()).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + " is not a record of announced prefixes: a prefix without a \"type\"");
        Files.writeString(file, "{\"version\":2}");
        assertThatThrownBy(() -> StateDirectory.open(temp).announced()).hasMessageContaining("unknown version 2");
    }

    @Test
    void aStateDirectoryWhoseParentIsMissingCannotBeOpened() {
        assertThatThrownBy(() -> StateDirectory.open(temp.resolve("missing/state"))).isInstanceOf(IOException.class);
    }

    @Test
    void readsBackTheDrainsItRecordedNextToTheAnnouncedPrefixes() throws Exception {
        StateDirectory state = StateDirectory.open(temp.resolve("state"));
        Drain forever = new Drain("kernel \"update\"\n", Instant.parse("2026-03-01T10:00:00Z"), Optional.empty());
        Drain forAnHour = new Drain("", Instant.parse("2026-03-01T10:00:00Z"), Optional.of(Instant.parse("2026-03-01T11:00:00Z")));

        state.recordDrains(Map.of("dns", forever, "ntp", forAnHour));
        state.recordAnnounced(Set.of(DNS));

        assertThat(StateDirectory.open(temp.resolve("state")).drains()).isEqualTo(Map.of("dns", forever, "ntp", forAnHour));
        assertThat(state.announced()).containsExactly(DNS);
        state.recordDrains(Map.of());
        assertThat(state.drains()).isEmpty();
        assertThat(Files.list(temp.resolve("state")).map(path -> path.getFileName().toString()))
                .as("no temporary file is left").containsExactlyInAnyOrder(StateDirectory.ANNOUNCED, StateDirectory.DRAINS);
    }

    @Test
    void aDirectoryWithoutDrainsHasNone() throws Exception {
        assertThat(StateDirectory.open(temp).drains()).isEmpty();
    }

    @Test
    void aDrainRecordThatIsNotOursIsAnErrorNamingTheFile() throws Exception {
        Path file = Files.writeString(temp.resolve(StateDirectory.DRAINS), "{\"version\":1,\"drains\":[{\"service\":\"dns\",\"since\":\"yesterday\"}]}");

        assertThatThrownBy(() -> StateDirectory.open(temp).drains()).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + " is not a record of drains: a drain of \"dns\" with a time that is not ISO-8601: yesterday");
    }
}
