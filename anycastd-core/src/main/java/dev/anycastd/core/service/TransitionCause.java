package dev.anycastd.core.service;

import java.util.Locale;

/**
 * Why a service's verdict is what it is, as a small closed set: what a metric may carry as a
 * label and an alert may match on, where the free text of a reason (which names checks and
 * quotes their errors) may not.
 */
public enum TransitionCause {
    /** Enough checks' latest results are healthy and fresh: every check, unless the service's {@code require} asks fewer. */
    CHECKS_HEALTHY,
    /** A check has no result yet. */
    CHECK_NO_RESULT,
    /** A check's latest result is unhealthy. */
    CHECK_UNHEALTHY,
    /** A check's latest result is unknown (no answer, a timeout, an error). */
    CHECK_UNKNOWN,
    /** A check's latest result is healthy but older than its freshness bound. */
    CHECK_STALE,
    /** The operator drained the service. */
    DRAINED,
    /** The runtime is stopping and withdraws everything. */
    STOPPING;

    /** The lower-case name, e.g. {@code check_stale}: a metric label value. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
