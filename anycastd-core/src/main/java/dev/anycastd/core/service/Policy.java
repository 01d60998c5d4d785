package dev.anycastd.core.service;

import java.util.Objects;
import java.util.Set;

/**
 * When a service's verdict changes.
 *
 * @param rise consecutive healthy evaluations before a withdrawn service is announced
 * @param fall consecutive unhealthy evaluations before an announced service is withdrawn
 * @param require how many of the service's checks (those not in {@code guards}) must pass
 * @param guards names of checks that must pass whatever {@code require} says, such as the
 *     implicit address checks of {@code require-local}; empty by default
 */
public record Policy(int rise, int fall, Requirement require, Set<String> guards) {

    /** Rise 1, fall 1, every check required: every evaluation decides, as the original anycastd does. */
    public static final Policy DEFAULT = new Policy(1, 1);

    /** Both counts must be at least 1. */
    public Policy {
        if (rise < 1) {
            throw new IllegalArgumentException("rise must be at least 1, got " + rise);
        }
        if (fall < 1) {
            throw new IllegalArgumentException("fall must be at least 1, got " + fall);
        }
        Objects.requireNonNull(require, "require");
        guards = Set.copyOf(guards);
    }

    /** Rise and fall with every check required. */
    public Policy(int rise, int fall) {
        this(rise, fall, Requirement.ALL, Set.of());
    }
}
