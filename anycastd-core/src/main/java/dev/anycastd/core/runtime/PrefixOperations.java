package dev.anycastd.core.runtime;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.PrefixBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies announce/withdraw to prefixes, in batches where the routing daemon offers them, each
 * call bounded by the operation timeout. A failed batch falls back to one call per prefix, so
 * what can be applied is applied and what cannot is named. Every announcement and withdrawal
 * passes here, so here the {@link AnnouncementRecord} learns of them, here the last state seen
 * of each prefix is kept for status, and here each call to a routing daemon is published as a
 * {@link RuntimeEvent.RouterCall}.
 */
final class PrefixOperations {

    private static final Logger log = LoggerFactory.getLogger(PrefixOperations.class);

    private final TimeLimit timeLimit;
    private final Duration timeout;
    private final AnnouncementRecord record;
    private final Runnable recovered;
    private final Clock clock;
    /** The last state seen of each prefix: after an operation or a read that succeeded. */
    private final Map<Prefix, Seen> seen = new ConcurrentHashMap<>();
    private final RuntimeEvents events;
    /** Whether the last operation or read had a failure; guarded by {@code this}. */
    private boolean failing;

    /**
     * @param recovered called (on the thread of the operation) when an operation or read
     *     succeeds after one that failed: a routing daemon that came back may have lost what it
     *     had, so the runtime compares everything soon instead of at the next reconcile
     */
    PrefixOperations(TimeLimit timeLimit, Duration timeout, AnnouncementRecord record, Runnable recovered, Clock clock,
            RuntimeEvents events) {
        this.timeLimit = timeLimit;
        this.timeout = timeout;
        this.record = record;
        this.recovered = recovered;
        this.clock = clock;
        this.events = events;
    }

    /** What the routing daemon had of a prefix, and when that was seen. */
    record Seen(boolean announced, Instant at) {
    }

    /** The last state seen of {@code prefix}, if any operation on it or read of it succeeded. */
    Optional<Seen> lastSeen(Prefix prefix) {
        return Optional.ofNullable(seen.get(prefix));
    }

    /** Runs one routing-daemon call within {@code limit} and publishes how it went. */
    private <T> T call(RuntimeEvent.Operation operation, int prefixes, Duration limit, TimeLimit.Operation<T> call) throws Exception {
        long start = System.nanoTime();
        try {
            T result = timeLimit.call(limit, call);
            events.publish(new RuntimeEvent.RouterCall(operation, prefixes, Duration.ofNanos(System.nanoTime() - start), null));
            return result;
        } catch (Exception e) {
            events.publish(new RuntimeEvent.RouterCall(operation, prefixes, Duration.ofNanos(System.nanoTime() - start), describe(e)));
            throw e;
        }
    }

    private static RuntimeEvent.Operation operation(boolean announce) {
        return announce ? RuntimeEvent.Operation.ANNOUNCE : RuntimeEvent.Operation.WITHDRAW;
    }

    /** Announces or withdraws every prefix; returns those that failed, with why. */
    Map<Prefix, String> apply(List<Prefix> prefixes, boolean announce) {
        return apply(prefixes, announce, Long.MAX_VALUE);
    }

    /**
     * Like {@link #apply(List, boolean)}, but attempts nothing new once {@link System#nanoTime()}
     * passes {@code deadline}: the prefixes left are reported as failed.
     */
    Map<Prefix, String> apply(List<Prefix> prefixes, boolean announce, long deadline) {
        if (announce) {
            // Before the router call: a crash between the two leaves a record that errs towards withdrawing.
            record.announcing(prefixes);
        }
        Map<Prefix, String> failures = applyToRouters(prefixes, announce, deadline);
        Instant now = clock.instant();
        for (Prefix prefix : prefixes) {
            if (!failures.containsKey(prefix)) {
                seen.put(prefix, new Seen(announce, now));
            }
        }
        if (!announce) {
            record.withdrawn(prefixes.stream().filter(prefix -> !failures.containsKey(prefix)).toList());
        }
        outcome(!failures.isEmpty());
        return failures;
    }

    private void outcome(boolean failed) {
        boolean cameBack;
        synchronized (this) {
            cameBack = failing && !failed;
            failing = failed;
        }
        if (cameBack) {
            recovered.run();
        }
    }

    /**
     * One routing daemon's share (a batch) is bounded by one operation timeout in all: when the
     * batch call fails, the one-by-one fallback gets only what is left of it, so a hung daemon
     * costs one timeout, not one per prefix.
     */
    private Map<Prefix, String> applyToRouters(List<Prefix> prefixes, boolean announce, long deadline) {
        Map<Prefix, String> failures = new LinkedHashMap<>();
        for (Map.Entry<PrefixBatch, List<Prefix>> group : byBatch(prefixes).entrySet()) {
            PrefixBatch batch = group.getKey();
            List<Prefix> members = group.getValue();
            long groupDeadline = deadline;
            if (batch != null && members.size() > 1) {
                long groupStart = System.nanoTime();
                try {
                    call(operation(announce), members.size(), timeout, () -> {
                        if (announce) {
                            batch.announce(members);
                        } else {
                            batch.withdraw(members);
                        }
                        return null;
                    });
                    continue;
                } catch (Exception e) {
                    log.atDebug().addKeyValue("prefixes", members.stream().map(Prefix::describe).toList())
                            .log("A batch of {} prefixes failed ({}); applying them one by one.", members.size(), describe(e));
                    long batchEnd = groupStart + timeout.toNanos();
                    groupDeadline = deadline == Long.MAX_VALUE || batchEnd - deadline < 0 ? batchEnd : deadline;
                }
            }
            for (Prefix prefix : members) {
                long left = groupDeadline == Long.MAX_VALUE ? timeout.toNanos() : groupDeadline - System.nanoTime();
                if (left <= 0) {
                    failures.put(prefix, "not attempted: the time limit was reached");
                    continue;
                }
                try {
                    call(operation(announce), 1, Duration.ofNanos(Math.min(left, timeout.toNanos())), () -> {
                        if (announce) {
                            prefix.announce();
                        } else {
                            prefix.withdraw();
                        }
                        return null;
                    });
                } catch (Exception e) {
                    failures.put(prefix, describe(e));
                }
            }
        }
        return failures;
    }

    /**
     * Which of {@code prefixes} are announced now, in any form. Prefixes whose state could not
     * be read are left out of both answers and logged.
     */
    Map<Prefix, Boolean> announced(List<Prefix> prefixes) {
        return announced(prefixes, false);
    }

    /**
     * Which of {@code prefixes} are announced now: with {@code exactly}, in the very form each
     * describes ({@link Prefix#isAnnouncedExactly()}); else in any form. Prefixes whose state could
     * not be read are left out of both answers and logged.
     */
    Map<Prefix, Boolean> announced(List<Prefix> prefixes, boolean exactly) {
        Map<Prefix, Boolean> states = new LinkedHashMap<>();
        for (Map.Entry<PrefixBatch, List<Prefix>> group : byBatch(prefixes).entrySet()) {
            PrefixBatch batch = group.getKey();
            List<Prefix> members = group.getValue();
            if (batch != null) {
                try {
                    Set<IpPrefix> announced = call(RuntimeEvent.Operation.READ, members.size(), timeout,
                            () -> exactly ? batch.announcedExactly(members) : batch.announced(members));
                    for (Prefix prefix : members) {
                        states.put(prefix, announced.contains(prefix.prefix()));
                    }
                    continue;
                } catch (Exception e) {
                    log.atDebug().log("Reading a batch of {} prefixes failed ({}); reading them one by one.", members.size(), describe(e));
                }
            }
            for (Prefix prefix : members) {
                try {
                    states.put(prefix, call(RuntimeEvent.Operation.READ, 1, timeout,
                            exactly ? prefix::isAnnouncedExactly : prefix::isAnnounced));
                } catch (Exception e) {
                    log.atWarn().addKeyValue("prefix", prefix.describe()).addKeyValue("error", describe(e))
                            .log("Could not read whether {} is announced: {}", prefix.describe(), describe(e));
                }
            }
        }
        Instant now = clock.instant();
        states.forEach((prefix, announced) -> seen.put(prefix, new Seen(announced, now)));
        outcome(states.size() < prefixes.size());
        return states;
    }

    private static Map<PrefixBatch, List<Prefix>> byBatch(List<Prefix> prefixes) {
        Map<PrefixBatch, List<Prefix>> groups = new LinkedHashMap<>();
        List<Prefix> alone = new ArrayList<>();
        for (Prefix prefix : prefixes) {
            PrefixBatch batch = prefix.batch();
            if (batch == null) {
                alone.add(prefix);
            } else {
                groups.computeIfAbsent(batch, b -> new ArrayList<>()).add(prefix);
            }
        }
        if (!alone.isEmpty()) {
            groups.put(null, alone);
        }
        return groups;
    }

    static String describe(Exception e) {
        if (e instanceof TimeoutException) {
            return "timed out: " + e.getMessage();
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
