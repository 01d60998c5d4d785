package dev.anycastd.bench;

import dev.anycastd.core.prefix.IpPrefix;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * What the lab's upstream router has, asked over its bgpd vty ({@link BgpdVty}), and waiting
 * until a condition about it holds, asking about every millisecond. Not thread-safe: one query at a time.
 */
final class UpstreamWatch {

    private final BgpdVty vty;
    private final String hostNeighbor;

    /**
     * @param hostNeighbor the upstream router's name for its session with the host router, whose routes
     *     {@link #hostRoutes} counts (a second speaker's do not count)
     */
    UpstreamWatch(BgpdVty vty, String hostNeighbor) {
        this.vty = vty;
        this.hostNeighbor = hostNeighbor;
    }

    /** A question about the upstream router. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws IOException;
    }

    boolean has(IpPrefix prefix) throws IOException {
        return vty.has(prefix);
    }

    boolean hasAll(List<IpPrefix> prefixes) throws IOException {
        for (IpPrefix prefix : prefixes) {
            if (!vty.has(prefix)) {
                return false;
            }
        }
        return true;
    }

    boolean hasNone(List<IpPrefix> prefixes) throws IOException {
        for (IpPrefix prefix : prefixes) {
            if (vty.has(prefix)) {
                return false;
            }
        }
        return true;
    }

    /** How many routes of {@code family} the upstream router has from the host router. */
    int hostRoutes(IpPrefix.Family family) throws IOException {
        return vty.received(hostNeighbor, family);
    }

    /**
     * Polls {@code condition} about every millisecond; answers {@link System#nanoTime()} when it first held.
     *
     * @param watched a process that must keep running meanwhile, or null
     * @throws IllegalStateException if {@code watched} exits or {@code limit} passes first
     */
    long awaitUntil(Watched watched, String what, Duration limit, Condition condition) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (condition.holds()) {
                return System.nanoTime();
            }
            if (watched != null && !watched.isAlive()) {
                throw new IllegalStateException(watched.what() + " exited while waiting until " + what + ":\n" + watched.tail(30));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("not within " + limit.toSeconds() + " s: " + what
                        + (watched == null ? "" : "; the last lines of " + watched.what() + ":\n" + watched.tail(30)));
            }
            Thread.sleep(1);
        }
    }
}
