package dev.l7splice.engine;

import java.util.PriorityQueue;

/**
 * Tasks a {@link RelayLoop} runs at a time (connect timeouts, retries), earliest first, and how
 * long the loop may wait in epoll before the next is due. Thread contract: the loop's thread only.
 */
final class LoopTimers {

    /** The longest single wait, so that the loop's own once-a-second work still runs. */
    private static final int MAX_WAIT_MILLIS = 1000;

    private final PriorityQueue<Timer> due = new PriorityQueue<>();

    void schedule(long millis, Runnable task) {
        due.add(new Timer(System.nanoTime() + millis * 1_000_000L, task));
    }

    /** Milliseconds epoll may wait: until the next timer, at most a second. */
    int waitMillis() {
        if (due.isEmpty()) {
            return MAX_WAIT_MILLIS;
        }
        long ms = (due.peek().dueNanos - System.nanoTime()) / 1_000_000L + 1;
        return (int) Math.max(0, Math.min(MAX_WAIT_MILLIS, ms));
    }

    /** The next task that is due now, or null. */
    Runnable nextDue(long now) {
        return !due.isEmpty() && now - due.peek().dueNanos >= 0 ? due.poll().task : null;
    }

    private static final class Timer implements Comparable<Timer> {
        final long dueNanos;
        final Runnable task;

        Timer(long dueNanos, Runnable task) {
            this.dueNanos = dueNanos;
            this.task = task;
        }

        @Override
        public int compareTo(Timer o) {
            return Long.compare(dueNanos, o.dueNanos);
        }
    }
}
