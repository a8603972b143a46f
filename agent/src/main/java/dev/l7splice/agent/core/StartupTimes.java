package dev.l7splice.agent.core;

/**
 * Wall time of each step of the agent's start-up, for one debug line ({@code log.level=debug}):
 * where the milliseconds between {@code premain} and the application's {@code main} go. Used by
 * the installer's thread only.
 */
final class StartupTimes {

    private final long start = System.nanoTime();
    private final StringBuilder steps = new StringBuilder();
    private long last = start;

    /** Ends the step called {@code name}, begun by the previous call (or at construction). */
    void step(String name) {
        long now = System.nanoTime();
        steps.append(steps.length() == 0 ? "" : ", ").append(name).append(' ').append(millis(now - last)).append(" ms");
        last = now;
    }

    /** The steps so far and their total, on one line. */
    String summary() {
        return new StringBuilder("start-up: ").append(steps).append("; total ").append(millis(last - start))
                .append(" ms").toString();
    }

    private static String millis(long nanos) {
        long tenths = nanos / 100_000;
        return new StringBuilder().append(tenths / 10).append('.').append(tenths % 10).toString();
    }
}
