package dev.anycastd.frr;

import dev.anycastd.core.prefix.RoutingException;
import java.util.List;
import java.util.OptionalInt;

/**
 * A call to FRR failed: {@code vtysh} could not start, did not finish in time, exited non-zero or
 * printed an error; or bgpd's vty socket could not be connected to, did not answer in time, or
 * refused a line (the message names the line and its vty status). Carries the facts: the
 * commands (as vtysh's {@code -c} arguments, whichever way they went), the exit code (empty when
 * vtysh did not exit by itself, and for the socket), and what FRR printed.
 */
public final class VtyshException extends RoutingException {

    private static final long serialVersionUID = 1L;

    /** Longest output quoted in the message; the fields keep all of it. */
    private static final int QUOTE_LIMIT = 2_000;

    private final List<String> commands;
    private final transient OptionalInt exitCode;
    private final String stdout;
    private final String stderr;

    /**
     * A failure described by {@code problem}; the message adds the commands, exit code and output.
     *
     * @param problem what went wrong, e.g. {@code "vtysh exited with 1"}
     * @param commands the {@code -c} arguments, in order
     * @param exitCode vtysh's exit code, or empty when it did not exit by itself (killed, never started)
     * @param stdout what it printed on standard output
     * @param stderr what it printed on standard error
     * @param cause the underlying exception, or {@code null}
     */
    public VtyshException(String problem, List<String> commands, OptionalInt exitCode, String stdout, String stderr, Throwable cause) {
        super(problem + "; commands: " + quote(String.join(" / ", commands)) + (exitCode.isPresent() ? "; exit code " + exitCode.getAsInt() : "")
                + "; stdout: " + quote(stdout) + "; stderr: " + quote(stderr), cause);
        this.commands = List.copyOf(commands);
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The commands vtysh was given, one per {@code -c}; a configuration is one command of several lines. */
    public List<String> commands() {
        return commands;
    }

    /** vtysh's exit code, or empty when it did not exit by itself (killed at the timeout, or never started). */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : exitCode;
    }

    /** What vtysh printed on standard output (FRR prints its command errors there). */
    public String stdout() {
        return stdout;
    }

    /** What vtysh printed on standard error. */
    public String stderr() {
        return stderr;
    }

    private static String quote(String text) {
        String stripped = text.strip().replace("\n", "\\n");
        if (stripped.length() > QUOTE_LIMIT) {
            stripped = stripped.substring(0, QUOTE_LIMIT) + "...";
        }
        return "\"" + stripped + "\"";
    }
}
