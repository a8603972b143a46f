package dev.l7splice.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/** What /proc says about another process: open fds, threads and CPU time. */
public final class ProcStats {

    /** Linux clock ticks per second (getconf CLK_TCK), the unit of utime/stime in /proc/PID/stat. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    public static long openFds(long pid) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return s.count();
        }
    }

    /** User plus system CPU seconds the process has used so far. */
    public static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after the command name (which may contain spaces) start after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }

    /** The process's threads (num_threads in /proc/PID/stat). */
    public static long threads(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[17]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CPU seconds used over a wait of the given length. */
    public static double cpuOver(long pid, long millis) throws IOException, InterruptedException {
        double before = cpuSeconds(pid);
        Thread.sleep(millis);
        return cpuSeconds(pid) - before;
    }

    /**
     * Polls until {@code value} drops to at most {@code limit} or the time is up, and returns the
     * last value seen (sockets and threads need a moment to wind down after a fault).
     */
    public static long settle(LongSupplier value, long limit, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long v = value.getAsLong();
        while (v > limit && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            v = value.getAsLong();
        }
        return v;
    }

    public static long openFdsUnchecked(long pid) {
        try {
            return openFds(pid);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
