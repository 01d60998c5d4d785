package dev.anycastd.daemon.hooks;

import dev.anycastd.core.service.ChangeHook;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a service's hook, in a thread of its own: starts the program with the change in its
 * environment, logs its output line by line with the service's name, and kills it with every
 * process it started when it outlives its timeout. Tells {@code done} the service's name when over.
 */
final class HookRun {

    private static final Logger log = LoggerFactory.getLogger(HookRun.class);

    /** The longest line of a hook's output that is logged whole; the rest of a longer line is counted, not logged. */
    static final int MAX_LINE = 1000;
    /** How long the output readers may take after the hook ended (a process it left behind may hold its output open). */
    private static final long READER_GRACE_MILLIS = 1000;

    private final String service;
    private final ChangeHook hook;
    private final Map<String, String> environment;
    private final Consumer<String> done;
    private final Thread thread;
    /** Set once started; guarded by {@code this}. */
    private Process process;

    HookRun(String service, ChangeHook hook, Map<String, String> environment, Consumer<String> done) {
        this.service = service;
        this.hook = hook;
        this.environment = environment;
        this.done = done;
        this.thread = new Thread(this::runThenTell, "anycastd-hook-" + service);
        this.thread.setDaemon(true);
    }

    String service() {
        return service;
    }

    Thread thread() {
        return thread;
    }

    private void runThenTell() {
        try {
            run();
        } catch (RuntimeException e) {
            log.atError().setCause(e).addKeyValue("service", service)
                    .log("Running the hook of service \"{}\" failed unexpectedly: {}", service, e.toString());
        } finally {
            done.accept(service);
        }
    }

    private void run() {
        ProcessBuilder builder = new ProcessBuilder(hook.command()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        Process started;
        try {
            synchronized (this) {
                started = builder.start();
                process = started;
            }
        } catch (IOException e) {
            log.atWarn().addKeyValue("service", service).addKeyValue("hook", hook.command().get(0)).addKeyValue("error", e.getMessage())
                    .log("Could not start the hook of service \"{}\": {}", service, e.getMessage());
            return;
        }
        log.atDebug().addKeyValue("service", service).addKeyValue("pid", started.pid())
                .log("Started the hook of service \"{}\" ({} -> {}).", service, environment.get("ANYCASTD_OLD_STATE"),
                        environment.get("ANYCASTD_NEW_STATE"));
        Thread out = reader(started.getInputStream(), "stdout");
        Thread err = reader(started.getErrorStream(), "stderr");
        boolean exited;
        try {
            exited = started.waitFor(hook.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        if (!exited) {
            int killed = kill();
            log.atWarn().addKeyValue("service", service).addKeyValue("timeout", hook.timeout().toMillis() + "ms")
                    .log("The hook of service \"{}\" did not finish within {} ms; killed it{}.", service, hook.timeout().toMillis(),
                            killed == 0 ? "" : " and the " + killed + " processes it started");
        }
        try {
            out.join(READER_GRACE_MILLIS);
            err.join(READER_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (exited) {
            int code = started.exitValue();
            if (code == 0) {
                log.atInfo().addKeyValue("service", service).addKeyValue("exit_code", code)
                        .log("The hook of service \"{}\" finished.", service);
            } else {
                log.atWarn().addKeyValue("service", service).addKeyValue("exit_code", code)
                        .log("The hook of service \"{}\" failed with exit code {}.", service, code);
            }
        }
    }

    /**
     * Kills the hook and every process it started, by process id: the descendants are listed
     * before the hook dies, since they are no longer its descendants after. Returns how many
     * descendants there were.
     */
    int kill() {
        Process running;
        synchronized (this) {
            running = process;
        }
        if (running == null) {
            return 0;
        }
        List<ProcessHandle> descendants = running.descendants().toList();
        running.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        return descendants.size();
    }

    private Thread reader(InputStream stream, String name) {
        Thread reader = new Thread(() -> logLines(stream, name), "anycastd-hook-" + service + "-" + name);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private void logLines(InputStream stream, String name) {
        try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            long dropped = 0;
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    logLine(name, line, dropped);
                    line.setLength(0);
                    dropped = 0;
                } else if (line.length() < MAX_LINE) {
                    line.append((char) c);
                } else {
                    dropped++;
                }
            }
            if (line.length() > 0 || dropped > 0) {
                logLine(name, line, dropped);
            }
        } catch (IOException e) {
            log.atDebug().addKeyValue("service", service).log("Reading the {} of the hook of service \"{}\" ended: {}", name, service,
                    e.toString());
        }
    }

    private void logLine(String stream, StringBuilder line, long dropped) {
        String text = dropped == 0 ? line.toString() : line + " [" + dropped + " more characters]";
        var entry = "stderr".equals(stream) ? log.atWarn() : log.atInfo();
        entry.addKeyValue("service", service).addKeyValue("stream", stream)
                .log("Hook of service \"{}\" ({}): {}", service, stream, text);
    }
}
