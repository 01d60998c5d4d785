package dev.anycastd.core.check;

import java.util.Objects;

/**
 * The result of one run of a {@link HealthCheck}: healthy, unhealthy with a reason, or unknown
 * with the error that kept the check from reaching a verdict. Only {@link Healthy} lets a
 * service announce; the other two withdraw (fail closed).
 */
public sealed interface Health {

    /** The check passed. */
    static Health healthy() {
        return Healthy.INSTANCE;
    }

    /** The check ran and failed, for the given reason (e.g. the checker's message). */
    static Health unhealthy(String reason) {
        return new Unhealthy(reason);
    }

    /** The check could not be run or read (timeout, connection refused, garbage answer). */
    static Health unknown(String error) {
        return new Unknown(error);
    }

    /** True only for {@link Healthy}. */
    default boolean isHealthy() {
        return this instanceof Healthy;
    }

    /** A short text for logs: {@code healthy}, or the reason or error. */
    String describe();

    /** The check passed. */
    record Healthy() implements Health {
        private static final Healthy INSTANCE = new Healthy();

        @Override
        public String describe() {
            return "healthy";
        }
    }

    /**
     * The check ran and failed.
     *
     * @param reason why, as the checker said it
     */
    record Unhealthy(String reason) implements Health {
        /** Requires a reason. */
        public Unhealthy {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String describe() {
            return "unhealthy: " + reason;
        }
    }

    /**
     * No verdict could be reached; counts as not healthy.
     *
     * @param error what went wrong
     */
    record Unknown(String error) implements Health {
        /** Requires an error. */
        public Unknown {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public String describe() {
            return "unknown: " + error;
        }
    }
}
