package dev.anycastd.frr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.testkit.frr.FakeVtySocket;
import dev.anycastd.testkit.frr.FakeVtySocket.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transport auto's choice at each call, with the testkit's fake daemon socket and a script as vtysh. */
class VtySocketOrVtyshTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    private FakeVtySocket fake;

    @AfterEach
    void closeFake() {
        if (fake != null) {
            fake.close();
        }
    }

    @Test
    void usesTheSocketWhenItCanBeConnectedToElseVtysh() throws Exception {
        Path vtysh = Files.writeString(directory.resolve("vtysh"), "#!/bin/sh\necho from-vtysh\n");
        vtysh.toFile().setExecutable(true);
        Path socketPath = directory.resolve("bgpd.vty");
        VtySocketOrVtysh auto = new VtySocketOrVtysh(new VtySocket(socketPath, TIMEOUT), new Vtysh(vtysh, TIMEOUT));

        assertThat(auto.run(List.of("show version")).stdout()).isEqualTo("from-vtysh\n");
        auto.requireUsable();

        fake = FakeVtySocket.listen(socketPath, line -> new Reply.Answer(line.equals("enable") ? "" : "from-socket\n", FakeVtySocket.SUCCESS));
        assertThat(auto.run(List.of("show version")).stdout()).isEqualTo("from-socket\n");
    }

    @Test
    void goesBackToVtyshWhenTheSocketGoesAway() throws Exception {
        Path vtysh = Files.writeString(directory.resolve("vtysh"), "#!/bin/sh\necho from-vtysh\n");
        vtysh.toFile().setExecutable(true);
        Path socketPath = directory.resolve("bgpd.vty");
        VtySocketOrVtysh auto = new VtySocketOrVtysh(new VtySocket(socketPath, TIMEOUT), new Vtysh(vtysh, TIMEOUT));
        fake = FakeVtySocket.listen(socketPath, FakeVtySocket.succeeding());
        auto.run(List.of("show version"));

        fake.close();
        fake = null;

        assertThat(auto.run(List.of("show version")).stdout()).isEqualTo("from-vtysh\n");
    }
}
