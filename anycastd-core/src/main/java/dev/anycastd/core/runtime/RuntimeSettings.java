package dev.anycastd.core.runtime;

import java.time.Duration;

/** The runtime's timing, as the builder set it. */
record RuntimeSettings(Duration operationTimeout, Duration retryMin, Duration retryMax, Duration reconcileInterval,
        Duration shutdownTimeout) {
}
