package dev.anycastd.core.service;

/**
 * How many of a service's checks must pass (be healthy and fresh) for the service to count as
 * healthy: the {@code require} setting. A check with no result yet, an unknown result or a stale
 * one counts as failing. Checks named in {@link Policy#guards()} are not counted here: they must
 * always pass.
 */
public sealed interface Requirement {

    /** Every check must pass: the original anycastd's meaning, and the default. */
    Requirement ALL = new All();

    /** At least one check must pass. */
    Requirement ANY = new AtLeast(1);

    /**
     * How many passing checks are needed out of {@code checks}.
     *
     * @param checks how many checks the requirement counts; at least 1
     */
    int needed(int checks);

    /**
     * The rule as {@code check-config} prints it, with what it means for {@code checks} checks:
     * {@code all (3 of 3)}, {@code any (1 of 3)}, {@code at least 2 (2 of 3)}, {@code 50% (2 of 3)}.
     */
    default String describe(int checks) {
        return rule() + " (" + needed(checks) + " of " + checks + ")";
    }

    /** The rule as the configuration writes it: {@code all}, {@code any}, {@code at least 2}, {@code 50%}. */
    String rule();

    /** Every check. */
    record All() implements Requirement {
        @Override
        public int needed(int checks) {
            return checks;
        }

        @Override
        public String rule() {
            return "all";
        }
    }

    /**
     * At least {@code count} checks; {@code require = "any"} is a count of 1.
     *
     * @param count at least 1, and no more than the service's counted checks
     */
    record AtLeast(int count) implements Requirement {
        /** The count must be positive. */
        public AtLeast {
            if (count < 1) {
                throw new IllegalArgumentException("a required count of checks must be at least 1, got " + count);
            }
        }

        @Override
        public int needed(int checks) {
            return count;
        }

        @Override
        public String rule() {
            return count == 1 ? "any" : "at least " + count;
        }
    }

    /**
     * At least {@code percent} percent of the checks, rounded up to a whole check: 50% of 3 checks
     * is 2, 1% of any number is at least 1, 100% is all.
     *
     * @param percent from 1 to 100
     */
    record Percent(int percent) implements Requirement {
        /** The percentage must be from 1 to 100. */
        public Percent {
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("a required percentage of checks must be from 1 to 100, got " + percent);
            }
        }

        @Override
        public int needed(int checks) {
            return (percent * checks + 99) / 100;
        }

        @Override
        public String rule() {
            return percent + "%";
        }
    }
}
