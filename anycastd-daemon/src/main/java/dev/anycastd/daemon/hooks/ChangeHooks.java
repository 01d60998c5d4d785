package dev.anycastd.daemon.hooks;

import dev.anycastd.core.runtime.RuntimeEvent;
import dev.anycastd.core.runtime.RuntimeListener;
import dev.anycastd.core.service.ChangeHook;
import dev.anycastd.core.service.ServiceDefinition;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each service's {@code on-change} hook when the runtime tells that a change of the
 * service's state has been applied to the routing daemon ({@link RuntimeEvent.ChangeApplied}:
 * its prefixes got there, or the first attempt failed). Never on the routing path: the event only
 * hands the change over; the hook runs in a thread of its own. At most one run per service at a
 * time; changes that come meanwhile are coalesced into one, which runs next, from the state the
 * last run was told of to the newest. A hook that fails is logged; one that outlives its timeout
 * is killed with every process it started, and logged; nothing else happens.
 *
 * <p>Thread-safe: {@link #onEvent} is called from runtime threads; the slots are guarded by
 * {@code this}.
 */
public final class ChangeHooks implements RuntimeListener {

    private static final Logger log = LoggerFactory.getLogger(ChangeHooks.class);

    /** The hooks by service name, replaced as a whole by {@link #use}. */
    private volatile Map<String, ChangeHook> hooks = Map.of();
    /** Each service's run in progress and the change waiting after it; guarded by {@code this}. */
    private final Map<String, Slot> slots = new HashMap<>();
    /** Guarded by {@code this}: once set, no new run starts. */
    private boolean closed;

    /** A service's hook runs; changed only under the lock. */
    private static final class Slot {
        HookRun running;
        RuntimeEvent.ChangeApplied pending;
    }

    /** Runs no hook until {@link #use} names some. */
    public ChangeHooks() {
    }

    /**
     * Runs the hooks of {@code services} from now on (a reload calls it before it applies the new
     * services, so that a new service's first change finds its hook).
     */
    public void use(List<ServiceDefinition> services) {
        Map<String, ChangeHook> next = new HashMap<>();
        services.forEach(service -> service.onChange().ifPresent(hook -> next.put(service.name(), hook)));
        hooks = Map.copyOf(next);
    }

    @Override
    public void onEvent(RuntimeEvent event) {
        if (event instanceof RuntimeEvent.ChangeApplied applied && hooks.containsKey(applied.service())) {
            submit(applied);
        }
    }

    private void submit(RuntimeEvent.ChangeApplied applied) {
        HookRun run;
        synchronized (this) {
            if (closed) {
                return;
            }
            Slot slot = slots.computeIfAbsent(applied.service(), name -> new Slot());
            if (slot.running != null) {
                slot.pending = slot.pending == null ? applied : since(slot.pending, applied);
                log.atDebug().addKeyValue("service", applied.service())
                        .log("The hook of service \"{}\" is still running; the change to {} runs after it.", applied.service(),
                                state(applied.to()));
                return;
            }
            run = start(slot, applied);
        }
        run.thread().start();
    }

    /** Under the lock. */
    private HookRun start(Slot slot, RuntimeEvent.ChangeApplied applied) {
        ChangeHook hook = hooks.get(applied.service());
        HookRun run = new HookRun(applied.service(), hook, environment(applied), this::finished);
        slot.running = run;
        return run;
    }

    /** Called by a run's thread when it ends: starts the coalesced change, if any. */
    private void finished(String service) {
        HookRun next = null;
        synchronized (this) {
            Slot slot = slots.get(service);
            slot.running = null;
            // Also once closed: a change that waited behind a run (the withdrawal at shutdown) still runs within close's limit.
            if (slot.pending != null && hooks.containsKey(service)) {
                next = start(slot, slot.pending);
            }
            slot.pending = null;
            notifyAll();
        }
        if (next != null) {
            next.thread().start();
        }
    }

    /** The newest change, as from where the older pending one started. */
    private static RuntimeEvent.ChangeApplied since(RuntimeEvent.ChangeApplied older, RuntimeEvent.ChangeApplied newer) {
        return new RuntimeEvent.ChangeApplied(newer.service(), older.from(), newer.to(), newer.reason(), newer.prefixes(),
                newer.error(), newer.at());
    }

    /** What a hook is told, in its environment. */
    static Map<String, String> environment(RuntimeEvent.ChangeApplied applied) {
        return Map.of(
                "ANYCASTD_SERVICE", applied.service(),
                "ANYCASTD_OLD_STATE", state(applied.from()),
                "ANYCASTD_NEW_STATE", state(applied.to()),
                "ANYCASTD_REASON", applied.reason(),
                "ANYCASTD_PREFIXES", String.join(" ", applied.prefixes().stream().map(Object::toString).toList()),
                "ANYCASTD_ROUTER_ERROR", applied.error() == null ? "" : applied.error());
    }

    private static String state(RuntimeEvent.ServiceCondition condition) {
        return condition.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Takes no more changes and waits, at most {@code limit}, for the runs under way and the
     * changes already waiting after them; then drops what still waits and kills what still runs,
     * with everything it started.
     *
     * @return whether every run had ended by itself
     */
    public boolean close(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        List<HookRun> left;
        synchronized (this) {
            closed = true;
            while (slots.values().stream().anyMatch(slot -> slot.running != null)) {
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, wait);
            }
            slots.values().forEach(slot -> slot.pending = null);
            left = slots.values().stream().map(slot -> slot.running).filter(java.util.Objects::nonNull).toList();
        }
        for (HookRun run : left) {
            log.atWarn().addKeyValue("service", run.service())
                    .log("The hook of service \"{}\" is still running at shutdown after {} ms; killing it.", run.service(),
                            limit.toMillis());
            run.kill();
        }
        return left.isEmpty();
    }
}
