package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.prefix.PrefixRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
}
