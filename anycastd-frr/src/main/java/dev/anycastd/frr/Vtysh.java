package dev.anycastd.frr;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code vtysh} program: runs it with an argument vector (never through a shell), one
 * {@code -c} per command, and kills it, with anything it started, when it outlives the timeout.
 * Immutable; equal when program and timeout are, so prefixes sharing them can share a batch.
 *
 * @param program the vtysh executable
 * @param timeout how long one call may take
 */
record Vtysh(Path program, Duration timeout) {

    /** How long to wait for the output of a process that was killed or exited. */
    private static final long DRAIN_MILLIS = 1_000;
    private static final File NO_INPUT = new File("/dev/null");

    Vtysh {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * What one vtysh call printed and how it exited.
     *
     * @param commands the {@code -c} arguments
     * @param exitCode its exit code
     * @param stdout its standard output
     * @param stderr its standard error
     */
    record Result(List<String> commands, int exitCode, String stdout, String stderr) {

        /** Exited 0 and printed nothing on standard error. */
        boolean succeeded() {
            return exitCode == 0 && stderr.isBlank();
        }

        /** This result as an exception that starts with {@code problem}. */
        VtyshException failure(String problem) {
            return new VtyshException(problem, commands, OptionalInt.of(exitCode), stdout, stderr, null);
        }
    }

    /**
     * Runs vtysh once with the given commands, each as one {@code -c} argument.
     *
     * @return how it exited, whatever the exit code
     * @throws VtyshException if vtysh cannot be started, does not finish within the timeout (it is
     *     killed), or the calling thread is interrupted (it is killed too)
     */
    Result run(List<String> commands) throws VtyshException {
        List<String> argv = new ArrayList<>(1 + 2 * commands.size());
        argv.add(program.toString());
        for (String command : commands) {
            argv.add("-c");
            argv.add(command);
        }
        Process process;
        try {
            // Nothing is typed at vtysh: with stdin at end of file it can never wait for input.
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(NO_INPUT)).start();
        } catch (IOException e) {
            throw new VtyshException("cannot run vtysh \"" + program + "\": " + e.getMessage(), commands, OptionalInt.empty(), "", "", e);
        }
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(process);
                throw new VtyshException("vtysh did not finish within " + timeout + " and was killed", commands, OptionalInt.empty(),
                        partial(stdout), partial(stderr), null);
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new VtyshException("interrupted while vtysh ran; it was killed", commands, OptionalInt.empty(),
                    partial(stdout), partial(stderr), e);
        }
        return new Result(commands, process.exitValue(), partial(stdout), partial(stderr));
    }

    /** Kills vtysh and whatever it started (a wrapper script's children would otherwise hold its output open). */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        }, "vtysh-output");
        reader.setDaemon(true);
        reader.start();
        return text;
    }

    /** The output read so far; empty if it cannot be had within a second of the process ending. */
    private static String partial(CompletableFuture<String> output) {
        try {
            return output.get(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (ExecutionException | TimeoutException e) {
            return "";
        }
    }
}
