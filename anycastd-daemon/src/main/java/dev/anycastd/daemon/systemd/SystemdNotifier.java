package dev.anycastd.daemon.systemd;

import dev.anycastd.core.runtime.RuntimeEvent;
import dev.anycastd.core.runtime.RuntimeListener;
import dev.anycastd.core.service.ServiceDefinition;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd ({@code Type=notify}) how the daemon is, from the runtime's events:
 * {@code READY=1} once the first reconcile found every service evaluated and the routing daemon
 * holding what it should; {@code WATCHDOG=1} each time a reconcile completes, so that a reconcile
 * loop that is stuck stops the pings and systemd restarts the daemon; {@code STATUS=} with how
 * many services are announced, withdrawn and drained; {@code STOPPING=1} at shutdown and
 * {@code RELOADING=1} during a reload.
 *
 * <p>Outside systemd ({@code NOTIFY_SOCKET} unset) there is none: {@link #fromEnvironment}
 * answers empty, and nothing is loaded or sent. Thread-safe.
 */
public final class SystemdNotifier implements RuntimeListener {

    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

    /** Where notifications go: libsystemd's {@code sd_notify}, or a stand-in in tests. */
    interface Channel {
        /** Sends one notification; answers {@code sd_notify}'s result (negative errno on failure). */
        int send(String state);
    }

    private final Channel channel;
    private final AtomicBoolean ready = new AtomicBoolean();
    /** Guarded by {@code this}: each service's condition, and the last STATUS sent. */
    private final Map<String, RuntimeEvent.ServiceCondition> conditions = new HashMap<>();
    private String status;
    /** Guarded by {@code this}: whether the last send failed, so failures are logged when they start and end. */
    private boolean failing;

    SystemdNotifier(Channel channel, List<ServiceDefinition> services) {
        this.channel = channel;
        services.forEach(service -> conditions.put(service.name(), RuntimeEvent.ServiceCondition.WITHDRAWN));
    }

    /**
     * The notifier when systemd asked for notifications ({@code NOTIFY_SOCKET} in {@code environment}),
     * else empty.
     *
     * @throws UnsatisfiedLinkError when {@code NOTIFY_SOCKET} is set but libsystemd cannot be loaded
     */
    public static Optional<SystemdNotifier> fromEnvironment(Map<String, String> environment, List<ServiceDefinition> services) {
        String socket = environment.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SystemdNotifier(Libsystemd.load(), services));
    }

    /**
     * How often systemd expects {@code WATCHDOG=1} ({@code WATCHDOG_USEC}, when {@code WATCHDOG_PID}
     * is unset or this process), or empty when it expects none.
     */
    public static Optional<Duration> watchdogTimeout(Map<String, String> environment) {
        String usec = environment.get("WATCHDOG_USEC");
        String pid = environment.get("WATCHDOG_PID");
        if (usec == null || (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid())))) {
            return Optional.empty();
        }
        try {
            long micros = Long.parseLong(usec.strip());
            return micros > 0 ? Optional.of(Duration.ofNanos(micros * 1000)) : Optional.empty();
        } catch (NumberFormatException e) {
            log.atWarn().addKeyValue("watchdog_usec", usec).log("Ignoring WATCHDOG_USEC=\"{}\": not a number of microseconds.", usec);
            return Optional.empty();
        }
    }

    @Override
    public void onEvent(RuntimeEvent event) {
        if (event instanceof RuntimeEvent.ServiceChanged changed) {
            String summary;
            synchronized (this) {
                conditions.put(changed.service(), changed.to());
                summary = summary();
                if (summary.equals(status)) {
                    return;
                }
                status = summary;
            }
            send("STATUS=" + summary);
        } else if (event instanceof RuntimeEvent.ReconcileCompleted reconcile) {
            String summary;
            synchronized (this) {
                summary = summary();
                status = summary;
            }
            if (reconcile.converged() && ready.compareAndSet(false, true)) {
                send("READY=1\nSTATUS=" + summary + "\nWATCHDOG=1");
            } else {
                send("WATCHDOG=1\nSTATUS=" + summary);
            }
        }
    }

    /** Tells systemd a reload started; {@link #reloaded()} ends it. */
    public void reloading() {
        send("RELOADING=1\nSTATUS=Reloading the configuration");
    }

    /** Tells systemd a reload finished. */
    public void reloaded() {
        String summary;
        synchronized (this) {
            summary = summary();
        }
        send("READY=1\nSTATUS=" + summary);
    }

    /** Tells systemd the daemon is stopping: it withdraws every prefix before it exits. */
    public void stopping() {
        send("STOPPING=1\nSTATUS=Stopping: withdrawing every prefix");
    }

    /** Whether READY=1 was sent. */
    public boolean ready() {
        return ready.get();
    }

    /** E.g. {@code "12 announced, 1 withdrawn, 0 drained"} (then {@code ", 1 degraded"} and {@code ", 1 draining"} when any); guarded by {@code this}. */
    private String summary() {
        Map<RuntimeEvent.ServiceCondition, Integer> counts = new EnumMap<>(RuntimeEvent.ServiceCondition.class);
        for (RuntimeEvent.ServiceCondition condition : RuntimeEvent.ServiceCondition.values()) {
            counts.put(condition, 0);
        }
        conditions.values().forEach(condition -> counts.merge(condition, 1, Integer::sum));
        // Degraded and draining only when there are some: most deployments use neither.
        return counts.get(RuntimeEvent.ServiceCondition.ANNOUNCED) + " announced, "
                + counts.get(RuntimeEvent.ServiceCondition.WITHDRAWN) + " withdrawn, "
                + counts.get(RuntimeEvent.ServiceCondition.DRAINED) + " drained"
                + (counts.get(RuntimeEvent.ServiceCondition.DEGRADED) > 0
                        ? ", " + counts.get(RuntimeEvent.ServiceCondition.DEGRADED) + " degraded" : "")
                + (counts.get(RuntimeEvent.ServiceCondition.DRAINING) > 0
                        ? ", " + counts.get(RuntimeEvent.ServiceCondition.DRAINING) + " draining" : "");
    }

    private void send(String state) {
        int result = channel.send(state);
        boolean failed = result < 0;
        boolean changed;
        synchronized (this) {
            changed = failing != failed;
            failing = failed;
        }
        if (changed && failed) {
            log.atWarn().addKeyValue("errno", -result)
                    .log("Could not notify systemd (sd_notify answered errno {}); it may consider anycastd not ready or hung.", -result);
        } else if (changed) {
            log.atInfo().log("Notifying systemd works again.");
        }
    }
}
