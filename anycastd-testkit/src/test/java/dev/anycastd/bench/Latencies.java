package dev.anycastd.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Measured durations and their order statistics (nearest-rank percentiles). */
final class Latencies {

    private final List<Long> nanos = new ArrayList<>();

    void add(long elapsedNanos) {
        nanos.add(elapsedNanos);
    }

    int count() {
        return nanos.size();
    }

    /** The {@code p}-th percentile by nearest rank: p=0 is the minimum, p=100 the maximum. */
    Duration percentile(double p) {
        if (nanos.isEmpty()) {
            throw new IllegalStateException("nothing was measured");
        }
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        int rank = p <= 0 ? 1 : (int) Math.ceil(p / 100.0 * sorted.size());
        return Duration.ofNanos(sorted.get(Math.min(sorted.size(), rank) - 1));
    }

    /** {@code min / p50 / p99 / max} in milliseconds. */
    String summary() {
        return String.format(Locale.ROOT, "%s / %s / %s / %s ms", ms(percentile(0)), ms(percentile(50)), ms(percentile(99)),
                ms(percentile(100)));
    }

    /** {@code min / p50 / max} in milliseconds, for a few samples. */
    String summary3() {
        return String.format(Locale.ROOT, "%s / %s / %s ms", ms(percentile(0)), ms(percentile(50)), ms(percentile(100)));
    }

    static String ms(Duration duration) {
        return String.format(Locale.ROOT, "%d", Math.round(duration.toNanos() / 1e6));
    }
}
