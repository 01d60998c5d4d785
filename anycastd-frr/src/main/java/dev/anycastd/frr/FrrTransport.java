package dev.anycastd.frr;

import dev.anycastd.core.prefix.RoutingException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How commands reach FRR's bgpd: the {@link Vtysh} program, bgpd's {@link VtySocket}, or
 * {@link VtySocketOrVtysh} (the socket when it can be connected to, else vtysh). Each call takes
 * commands as vtysh's {@code -c} arguments (a command may hold several lines) and ends as
 * {@code vtysh -c ... -c ...} would: at the first line FRR refuses, with what FRR printed and a
 * non-zero exit code. Everything above this (which commands, validation, batching, reading the
 * output) is {@link BgpInstance}'s and {@link FrrOutput}'s, once for all transports.
 *
 * <p>Implementations are immutable values or say how they are shared; equal transports reach the
 * same bgpd the same way, so prefixes sharing one can share a batch.
 */
sealed interface FrrTransport permits Vtysh, VtySocket, VtySocketOrVtysh {

    /**
     * Runs the commands in one call (one process, or one connection), stopping at the first line
     * FRR refuses.
     *
     * @return how it ended, whatever FRR said
     * @throws VtyshException if FRR cannot be reached, the call does not finish within
     *     {@link #timeout()} (the process is killed, the connection closed), or the thread is interrupted
     */
    Result run(List<String> commands) throws VtyshException;

    /** How long one call may take. */
    Duration timeout();

    /**
     * Checks what can be checked without a command: the program exists and is executable, or the
     * socket can be connected to.
     *
     * @throws RoutingException saying what is missing and how to fix it
     */
    void requireUsable() throws RoutingException;

    /** Where commands go, for messages and logs: {@code vtysh "/usr/bin/vtysh"}, {@code vty socket "/var/run/frr/bgpd.vty"}. */
    String describe();

    /** The path(s) commands go to, for {@link FrrPrefix#announcedIn()}: {@code /usr/bin/vtysh}. */
    String announcedThrough();

    /**
     * The prefix provider's options that select this transport (not its timeout), in a fixed
     * order, so that a recorded prefix can be built again the same way.
     */
    Map<String, String> options();

    /**
     * What one call printed and how it ended.
     *
     * @param commands the commands, as vtysh's {@code -c} arguments
     * @param exitCode vtysh's exit code; for the socket, the code vtysh would have exited with
     *     (0 when every line succeeded, 1 when one was refused)
     * @param stdout what FRR printed (FRR prints its command errors here)
     * @param stderr what vtysh printed on standard error; empty for the socket
     * @param refusal for the socket, how bgpd refused the line that stopped the call (the line
     *     and its vty status); empty for vtysh and for a call that succeeded
     */
    record Result(List<String> commands, int exitCode, String stdout, String stderr, Optional<String> refusal) {

        public Result {
            commands = List.copyOf(commands);
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
            Objects.requireNonNull(refusal, "refusal");
        }

        /** A vtysh process's result. */
        public Result(List<String> commands, int exitCode, String stdout, String stderr) {
            this(commands, exitCode, stdout, stderr, Optional.empty());
        }

        /** Exited 0 and printed nothing on standard error. */
        boolean succeeded() {
            return exitCode == 0 && stderr.isBlank();
        }

        /** This result as an exception that starts with {@code problem}. */
        VtyshException failure(String problem) {
            if (refusal.isPresent()) {
                return new VtyshException(problem + " (" + refusal.get() + ")", commands, OptionalInt.empty(), stdout, stderr, null);
            }
            return new VtyshException(problem, commands, OptionalInt.of(exitCode), stdout, stderr, null);
        }
    }
}
