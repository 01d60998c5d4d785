package dev.anycastd.core.runtime;

/**
 * Told what the runtime does, as it happens: services changing state (with why), check
 * results (with latency), routing-daemon calls (with duration and outcome) and reconcile runs
 * (with what they found and repaired). The daemon's Prometheus metrics and systemd notifier are
 * such listeners; a program embedding the runtime can add its own with
 * {@link AnycastRuntime.Builder#eventListener(RuntimeListener)} and get the same figures without
 * Prometheus.
 *
 * <p>Called from the runtime's threads, possibly several at once, in the order events happen
 * within one thread. A listener must be thread-safe and return quickly: it runs on the thread
 * that does the work (a check, a routing-daemon call, the reconcile loop), so a slow listener
 * slows that work. A listener that throws is logged and otherwise ignored; it never stops the
 * runtime, and other listeners are still told.
 */
@FunctionalInterface
public interface RuntimeListener {

    /** Called once per event. */
    void onEvent(RuntimeEvent event);
}
