package dev.anycastd.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** CPU time and memory of ExaBGP, and of anycastd's daemon beside it, over a period in which nothing changes. */
final class SteadyCost {

    private SteadyCost() {
    }

    /**
     * Measures {@code peer} and, over the same period, {@code daemon} if not null (then after
     * {@code warmUp}, which its JIT needs; ExaBGP has nothing to compile).
     */
    static List<Row> measure(ExabgpPeer peer, String what, DaemonProcess daemon, String daemonWhat, Duration warmUp, Duration steady)
            throws IOException, InterruptedException {
        if (daemon != null) {
            Thread.sleep(warmUp.toMillis());
        }
        ProcessStats.CpuTime before = peer.cpuTime();
        ProcessStats.CpuTime daemonBefore = daemon == null ? null : daemon.cpuTime();
        long start = System.nanoTime();
        Thread.sleep(steady.toMillis());
        ProcessStats.CpuTime after = peer.cpuTime();
        ProcessStats.CpuTime daemonAfter = daemon == null ? null : daemon.cpuTime();
        double minutes = (System.nanoTime() - start) / 60e9;
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("steady, ExaBGP + healthcheck, " + what + ": CPU per minute (+ its check commands)",
                perMinute(after.minus(before), minutes), ""));
        rows.add(new Row("steady, ExaBGP + healthcheck, " + what + ": peak RSS of both (VmHWM; RSS now)",
                megabytes(peer.statusKiB("VmHWM"), peer.statusKiB("VmRSS")), ""));
        if (daemon != null) {
            rows.add(new Row("steady, anycastd, " + daemonWhat + ", after " + warmUp.toSeconds() + " s of warm-up: CPU per minute "
                    + "(+ its vtysh children)", perMinute(daemonAfter.minus(daemonBefore), minutes), ""));
            rows.add(new Row("steady, anycastd, " + daemonWhat + ": peak RSS (VmHWM; RSS now)",
                    megabytes(daemon.statusKiB("VmHWM"), daemon.statusKiB("VmRSS")), ""));
        }
        return rows;
    }

    private static String perMinute(ProcessStats.CpuTime used, double minutes) {
        return String.format(Locale.ROOT, "%.2f s (+ %.2f s)", used.self().toNanos() / 1e9 / minutes,
                used.children().toNanos() / 1e9 / minutes);
    }

    private static String megabytes(long peakKiB, long nowKiB) {
        return String.format(Locale.ROOT, "%.1f MB (%.1f MB)", peakKiB / 1024.0, nowKiB / 1024.0);
    }
}
