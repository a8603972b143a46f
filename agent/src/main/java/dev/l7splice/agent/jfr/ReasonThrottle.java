package dev.l7splice.agent.jfr;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Lets at most one event per key through per interval. The first occurrence of a key passes at
 * once; the ones that come within the interval after it are counted, and the next occurrence past
 * the interval passes carrying that count. Thread-safe (application threads), lock-free.
 */
final class ReasonThrottle {

    private static final class Window {
        final AtomicLong lastPass = new AtomicLong(Long.MIN_VALUE);
        final LongAdder pending = new LongAdder();
    }

    private final long intervalNanos;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    ReasonThrottle(long intervalNanos, LongSupplier nanoClock) {
        this.intervalNanos = intervalNanos;
        this.clock = nanoClock;
    }

    /** One occurrence of {@code key}: 0 if it is held back, else the occurrences this event stands for. */
    long occur(String key) {
        Window w = windows.computeIfAbsent(key, k -> new Window());
        w.pending.increment();
        long now = clock.getAsLong();
        long last = w.lastPass.get();
        if (last != Long.MIN_VALUE && now - last < intervalNanos) {
            return 0;
        }
        if (!w.lastPass.compareAndSet(last, now)) {
            return 0; // another thread passes this window's event
        }
        return w.pending.sumThenReset();
    }
}
