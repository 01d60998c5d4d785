package dev.anycastd.core.service;

/**
 * When a service's verdict changes.
 *
 * @param rise consecutive healthy evaluations before a withdrawn service is announced
 * @param fall consecutive unhealthy evaluations before an announced service is withdrawn
 */
public record Policy(int rise, int fall) {

    /** Rise 1, fall 1: every evaluation decides, as the original anycastd does. */
    public static final Policy DEFAULT = new Policy(1, 1);

    /** Both counts must be at least 1. */
    public Policy {
        if (rise < 1) {
            throw new IllegalArgumentException("rise must be at least 1, got " + rise);
        }
        if (fall < 1) {
            throw new IllegalArgumentException("fall must be at least 1, got " + fall);
        }
    }
}
