package dev.l7splice.agent.install;

import java.io.FileInputStream;

/**
 * Wall time and the installer thread's own CPU time of each step of the agent's start-up, for one
 * debug line ({@code log.level=debug}): where the milliseconds between {@code premain} and the
 * application's {@code main} go. The CPU time comes from Linux's {@code /proc/thread-self/schedstat}
 * (nanoseconds on a CPU), so it holds on a busy machine where wall time does not; 0 where that file
 * is missing. Used by the installer's thread only.
 */
final class StartupTimes {

    private final long start = System.nanoTime();
    private final long startCpu = threadCpuNanos();
    private final StringBuilder steps = new StringBuilder();
    private long last = start;
    private long lastCpu = startCpu;

    /** Ends the step called {@code name}, begun by the previous call (or at construction). */
    void step(String name) {
        long now = System.nanoTime();
        long cpu = threadCpuNanos();
        steps.append(steps.length() == 0 ? "" : ", ").append(name).append(' ').append(millis(now - last))
                .append('/').append(millis(cpu - lastCpu));
        last = now;
        lastCpu = cpu;
    }

    /** The steps so far and their total, on one line. */
    String summary() {
        return new StringBuilder("start-up (wall/cpu ms): ").append(steps).append("; total ")
                .append(millis(last - start)).append('/').append(millis(lastCpu - startCpu)).toString();
    }

    private static String millis(long nanos) {
        long tenths = nanos / 100_000;
        return new StringBuilder().append(tenths / 10).append('.').append(tenths % 10).toString();
    }

    private static long threadCpuNanos() {
        try (FileInputStream in = new FileInputStream("/proc/thread-self/schedstat")) {
            byte[] b = new byte[64];
            int n = in.read(b);
            long v = 0;
            for (int i = 0; i < n && b[i] >= '0' && b[i] <= '9'; i++) {
                v = v * 10 + (b[i] - '0');
            }
            return v;
        } catch (Exception e) {
            return 0;
        }
    }
}
