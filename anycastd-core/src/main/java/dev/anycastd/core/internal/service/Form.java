package dev.anycastd.core.internal.service;

/** How a service's prefixes should be at the routing daemon. */
public enum Form {
    /** Withdrawn. */
    WITHDRAWN,
    /** Announced as configured: the service is healthy. */
    NORMAL,
    /**
     * Unhealthy: each prefix with a when-down route policy announced through it (a last resort),
     * the others withdrawn.
     */
    WHEN_DOWN,
    /**
     * Drained (or stopping) gracefully, within the hold: each prefix that was announced announced
     * through the drain route policy, the others withdrawn.
     */
    DRAINING;

    /** Whether some prefix may be announced in this form. */
    public boolean announces() {
        return this != WITHDRAWN;
    }
}
