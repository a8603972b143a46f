package dev.l7splice.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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

    /** The process's threads (num_threads in /proc/PID/stat). */
    public static long threads(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[17]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * CPU seconds used over a wait of the given length by the process's threads other than the
     * JVM's own compiler and garbage-collector threads (and its VM thread): what "no spinning
     * thread" means for the application and the agent. Those JVM threads may still be compiling or
     * collecting after a burst of traffic on a shared machine, which is no leak. A thread that
     * starts during the wait counts with all its CPU, one that ends with what it had used before.
     */
    public static double appCpuOver(long pid, long millis) throws IOException, InterruptedException {
        Map<String, Long> before = appTicksByThread(pid);
        Thread.sleep(millis);
        Map<String, Long> after = appTicksByThread(pid);
        long ticks = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            ticks += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return ticks / TICKS_PER_SECOND;
    }

    private static Map<String, Long> appTicksByThread(long pid) throws IOException {
        Map<String, Long> out = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") || comm.startsWith("GC Thread")
                        || comm.startsWith("G1 ") || comm.equals("VM Thread") || comm.startsWith("Sweeper")) {
                    continue;
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out.put(t.getFileName().toString(), Long.parseLong(f[11]) + Long.parseLong(f[12]));
            }
        }
        return out;
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
