package dev.anycastd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** CPU time and memory of a process, read from {@code /proc}. */
final class ProcessStats {

    private static final long CLOCK_TICKS = clockTicks();

    private ProcessStats() {
    }

    /**
     * CPU time of a process's own threads, and of the children it waited for.
     *
     * @param self {@code utime + stime}
     * @param children {@code cutime + cstime}: its finished children that it reaped (vtysh, check commands)
     */
    record CpuTime(Duration self, Duration children) {

        CpuTime plus(CpuTime other) {
            return new CpuTime(self.plus(other.self), children.plus(other.children));
        }

        CpuTime minus(CpuTime other) {
            return new CpuTime(self.minus(other.self), children.minus(other.children));
        }
    }

    static CpuTime cpuTime(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after "(comm)": state is field 3, utime 14, stime 15, cutime 16, cstime 17.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long self = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        long children = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        return new CpuTime(ticks(self), ticks(children));
    }

    /** A line of {@code /proc/PID/status} in KiB, e.g. {@code VmHWM} (peak resident set) or {@code VmRSS}. */
    static long statusKiB(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).replace("kB", "").strip());
            }
        }
        throw new IOException("/proc/" + pid + "/status has no " + key);
    }

    private static Duration ticks(long ticks) {
        return Duration.ofNanos(ticks * 1_000_000_000L / CLOCK_TICKS);
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return getconf.waitFor() == 0 && out.matches("[0-9]+") ? Long.parseLong(out) : 100;
        } catch (IOException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
