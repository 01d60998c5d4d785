package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {

    @TempDir
    Path temp;

    @Test
    void listensWithMode0660AndAnswersEachRequestLineWithOneLine() throws Exception {
        Path socket = temp.resolve("run/control.sock");
        try (ControlServer server = ControlServer.bind(socket)) {
            server.serve(request -> ControlProtocol.error("echo", request));

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
            ObjectNode request = ControlProtocol.JSON.createObjectNode().put("command", "status");
            assertThatThrownBy(() -> ControlClient.request(socket, request, Duration.ofSeconds(5)))
                    .isInstanceOf(ControlException.class).hasMessage("{\"command\":\"status\",\"version\":1}");
        }
        assertThat(socket).as("removed at close").doesNotExist();
    }

    @Test
    void aStaleSocketOfAKilledDaemonIsReplaced() throws Exception {
        Path socket = temp.resolve("control.sock");
        // Bound and closed without removing the file: what SIGKILL leaves behind.
        try (ServerSocketChannel killed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            killed.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();

        try (ControlServer server = ControlServer.bind(socket)) {
            assertThat(server.path()).isEqualTo(socket);
        }
    }

    @Test
    void aSocketALiveDaemonAnswersOnIsRefusedNamingIt() throws Exception {
        Path socket = temp.resolve("control.sock");
        try (ControlServer first = ControlServer.bind(socket)) {
            first.serve(request -> request);

            assertThatThrownBy(() -> ControlServer.bind(socket)).isInstanceOf(ControlException.class)
                    .hasMessage("another anycastd is running: it answers on the control socket " + socket + "; two daemons must"
                            + " not drive one router. Stop it first, or give this one another --control-socket if it drives"
                            + " another router")
                    .extracting(error -> ((ControlException) error).kind()).isEqualTo(ControlException.Kind.IN_USE);
            assertThat(socket).as("the first daemon's socket is left alone").exists();
        }
    }

    @Test
    void aFileThatIsNotASocketIsNotRemoved() throws Exception {
        Path file = Files.writeString(temp.resolve("control.sock"), "precious");

        assertThatThrownBy(() -> ControlServer.bind(file)).isInstanceOf(ControlException.class)
                .hasMessageContaining("something that is not a socket is there");
        assertThat(file).hasContent("precious");
    }

    @Test
    void aClientFindsNoDaemonWhenNoSocketIsThere() {
        Path socket = temp.resolve("control.sock");

        assertThatThrownBy(() -> ControlClient.request(socket, ControlProtocol.JSON.createObjectNode(), Duration.ofSeconds(1)))
                .isInstanceOf(ControlException.class)
                .hasMessage("anycastd is not running: nothing answers on " + socket + " (see --control-socket)");
    }
}
