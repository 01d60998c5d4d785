package dev.anycastd.frr;

import dev.anycastd.core.prefix.RoutingException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
record Vtysh(Path program, Duration timeout) implements FrrTransport {

    /** How long to wait for the output of a process that was killed or exited. */
    private static final long DRAIN_MILLIS = 1_000;
    private static final File NO_INPUT = new File("/dev/null");

    Vtysh {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Runs vtysh once with the given commands, each as one {@code -c} argument.
     *
     * @return how it exited, whatever the exit code
     * @throws VtyshException if vtysh cannot be started, does not finish within the timeout (it is
     *     killed), or the calling thread is interrupted (it is killed too)
     */
    @Override
    public Result run(List<String> commands) throws VtyshException {
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

    @Override
    public void requireUsable() throws RoutingException {
        if (!Files.exists(program)) {
            throw new RoutingException("vtysh \"" + program + "\" does not exist; install FRRouting (Debian: apt install frr) "
                    + "or set the option vtysh to where its vtysh is");
        }
        if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
            throw new RoutingException("vtysh \"" + program + "\" is not an executable file; "
                    + "check the option vtysh and the file's permissions");
        }
    }

    @Override
    public String describe() {
        return "vtysh \"" + program + "\"";
    }

    @Override
    public String announcedThrough() {
        return program.toString();
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("transport", "vtysh");
        options.put("vtysh", program.toString());
        return Collections.unmodifiableMap(options);
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
