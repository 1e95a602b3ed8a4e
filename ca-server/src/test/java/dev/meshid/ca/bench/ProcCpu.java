package dev.meshid.ca.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time from Linux {@code /proc}: a process's user+system ticks ({@code /proc/PID/stat} fields 14 and 15),
 * the part of it its JIT compiler threads used, the whole machine's busy ticks ({@code /proc/stat}), and the load average. Ticks are USER_HZ, which is 100
 * on every Linux architecture the JDK runs on (the script can pass {@code getconf CLK_TCK}).
 */
final class ProcCpu {
    private ProcCpu() {
    }

    /** utime + stime of {@code pid}, in ticks; -1 when the process is gone or /proc is absent. */
    static long processTicks(long pid) {
        try {
            return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long ticks(String stat) {
        // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * utime + stime of the JIT compiler threads of a HotSpot process ({@code C1 CompilerThre*},
     * {@code C2 CompilerThre*}): CPU a short run spends on compiling rather than on serving.
     */
    static long jitTicks(long pid) {
        long sum = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String name = Files.readString(t.resolve("comm"), StandardCharsets.US_ASCII);
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    sum += Math.max(0, processTicks(pid, t.getFileName().toString()));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return sum;
    }

    private static long processTicks(long pid, String tid) throws IOException {
        return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "task", tid, "stat"), StandardCharsets.US_ASCII));
    }

    /** Busy ticks of all CPUs (user, nice, system, irq, softirq, steal); -1 without /proc. */
    static long machineBusyTicks() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split(" +");
                    return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                            + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The 1-minute load average as text, or "?". */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
