package dev.anycastd.frr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.prefix.RoutingException;
import dev.anycastd.testkit.frr.FakeVtySocket;
import dev.anycastd.testkit.frr.FakeVtySocket.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vty protocol on a Unix socket, against the testkit's fake daemon socket (no FRR needed). */
class VtySocketTest {

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
    void sendsEnableThenEachLineOfEachCommandAndJoinsTheAnswers() throws Exception {
        fake = listen(line -> new Reply.Answer(line.startsWith("show") ? "shown " + line + "\n" : "", FakeVtySocket.SUCCESS));

        FrrTransport.Result result = socket().run(List.of("configure terminal\nrouter bgp 65001\n\nnetwork 192.0.2.1/32", "show a", "show b"));

        assertThat(fake.lines()).containsExactly("enable", "configure terminal", "router bgp 65001", "network 192.0.2.1/32", "show a", "show b");
        assertThat(result.succeeded()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("shown show a\nshown show b\n");
        assertThat(result.refusal()).isEmpty();
        assertThat(fake.connections()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(fake::allClosed);
    }

    @Test
    void stopsAtTheFirstRefusedLineAsVtyshDoesAndNamesItsStatus() throws Exception {
        fake = listen(line -> line.startsWith("no network")
                ? new Reply.Answer("% Can't find static route specified\n", FakeVtySocket.CONFIG_FAILED)
                : new Reply.Answer("", FakeVtySocket.SUCCESS));

        FrrTransport.Result result = socket().run(List.of("configure terminal\nno network 192.0.2.9/32\nnetwork 192.0.2.1/32"));

        assertThat(fake.lines()).containsExactly("enable", "configure terminal", "no network 192.0.2.9/32");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEqualTo("% Can't find static route specified\n");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.failure("FRR did not withdraw it"))
                .hasMessageStartingWith("FRR did not withdraw it (bgpd answered \"no network 192.0.2.9/32\" with vty status 13"
                        + " (CMD_WARNING_CONFIG_FAILED)); commands: ")
                .hasMessageContaining("stdout: \"% Can't find static route specified\"")
                .satisfies(e -> assertThat(e.exitCode()).isEmpty());
    }

    @Test
    void goesOnAfterAWarningAsVtyshDoes() throws Exception {
        // FRR answers a show command for an unknown VRF with its JSON warning and CMD_WARNING; vtysh exits 0.
        fake = listen(line -> line.startsWith("show")
                ? new Reply.Answer("{\"warning\":\"View/Vrf is unknown\"}\n", FakeVtySocket.WARNING)
                : new Reply.Answer("", FakeVtySocket.SUCCESS));

        FrrTransport.Result result = socket().run(List.of("show bgp vrf nope detail json", "show bgp vrf nope detail json"));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout()).isEqualTo("{\"warning\":\"View/Vrf is unknown\"}\n".repeat(2));
    }

    @Test
    void asksBgpdForItsOwnRunningConfigurationWhereVtyshNamesTheDaemon() throws Exception {
        fake = listen(FakeVtySocket.succeeding());

        socket().run(List.of("show running-config bgpd"));

        assertThat(fake.lines()).containsExactly("enable", "show running-config");
    }

    @Test
    void aRefusedUnknownCommandIsAFailure() throws Exception {
        fake = listen(line -> line.equals("enable") ? new Reply.Answer("", FakeVtySocket.SUCCESS)
                : new Reply.Answer("% [BGP] Unknown command: " + line + "\n", FakeVtySocket.NO_MATCH));

        FrrTransport.Result result = socket().run(List.of("shw bgp"));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.refusal()).hasValue("bgpd answered \"shw bgp\" with vty status 2 (CMD_ERR_NO_MATCH)");
    }

    @Test
    void aDaemonThatDoesNotAnswerIsGivenUpAtTheTimeoutAndTheConnectionClosed() throws Exception {
        fake = listen(line -> line.equals("enable") ? new Reply.Answer("", FakeVtySocket.SUCCESS) : new Reply.Silence());
        VtySocket socket = new VtySocket(fake.path(), Duration.ofMillis(300));

        assertThatThrownBy(() -> socket.run(List.of("show bgp detail json")))
                .isInstanceOf(VtyshException.class)
                .hasMessageStartingWith("bgpd's vty socket \"" + fake.path() + "\" did not answer within PT0.3S; the connection was closed");
        await().atMost(Duration.ofSeconds(10)).until(fake::allClosed);
    }

    @Test
    void aConnectionClosedMidAnswerIsAFailureWithWhatWasPrinted() throws Exception {
        fake = listen(line -> line.equals("enable") ? new Reply.Answer("", FakeVtySocket.SUCCESS) : new Reply.Hangup("{\"half\":"));

        assertThatThrownBy(() -> socket().run(List.of("show bgp detail json")))
                .isInstanceOf(VtyshException.class)
                .hasMessageContaining("bgpd closed the connection before it answered \"show bgp detail json\"; it printed \"{\"half\":\"");
    }

    @Test
    void bytesAfterTheTerminatorAreNotTheProtocol() throws Exception {
        byte[] twoAnswers = "a\0\0\0\0b\0\0\0\0".getBytes(StandardCharsets.UTF_8);
        fake = listen(line -> line.equals("enable") ? new Reply.Answer("", FakeVtySocket.SUCCESS) : new Reply.Raw(twoAnswers));

        assertThatThrownBy(() -> socket().run(List.of("show bgp detail json")))
                .isInstanceOf(VtyshException.class)
                .hasMessageContaining("is not vty protocol");
    }

    @Test
    void anAnswerSplitAcrossReadsIsJoined() throws Exception {
        String big = "x".repeat(200_000) + "\n";
        fake = listen(line -> new Reply.Answer(line.equals("enable") ? "" : big, FakeVtySocket.SUCCESS));

        assertThat(socket().run(List.of("show running-config bgpd")).stdout()).isEqualTo(big);
    }

    @Test
    void aMissingSocketCannotBeConnectedToAndSaysWhy() {
        VtySocket socket = new VtySocket(directory.resolve("bgpd.vty"), TIMEOUT);

        assertThat(socket.unusableReason()).hasValueSatisfying(reason -> assertThat(reason).isNotBlank());
        assertThatThrownBy(() -> socket.run(List.of("show bgp detail json")))
                .isInstanceOf(VtyshException.class)
                .hasMessageStartingWith("cannot connect to bgpd's vty socket \"" + directory.resolve("bgpd.vty") + "\": ");
        assertThatThrownBy(socket::requireUsable)
                .isInstanceOf(RoutingException.class)
                .hasMessageStartingWith("bgpd's vty socket \"" + directory.resolve("bgpd.vty") + "\" cannot be connected to (")
                .hasMessageContaining("run anycastd as root or as a member of group frrvty, or use transport = \"vtysh\"");
    }

    @Test
    void anInterruptedCallClosesTheConnectionAndKeepsTheInterrupt() throws Exception {
        fake = listen(line -> line.equals("enable") ? new Reply.Answer("", FakeVtySocket.SUCCESS) : new Reply.Silence());
        VtySocket socket = new VtySocket(fake.path(), Duration.ofMinutes(1));
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                socket.run(List.of("show bgp detail json"));
                failure.complete(null);
            } catch (VtyshException e) {
                failure.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("interrupt lost", e));
            }
        });
        caller.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.lines().size() == 2);

        caller.interrupt();

        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(VtyshException.class)
                .hasMessageStartingWith("interrupted while waiting for bgpd's vty socket");
        await().atMost(Duration.ofSeconds(10)).until(fake::allClosed);
    }

    private FakeVtySocket listen(java.util.function.Function<String, Reply> answerer) throws Exception {
        return FakeVtySocket.listen(directory.resolve("bgpd.vty"), answerer);
    }

    private VtySocket socket() {
        return new VtySocket(fake.path(), TIMEOUT);
    }
}
