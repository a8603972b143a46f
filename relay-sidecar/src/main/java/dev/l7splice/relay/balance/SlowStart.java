package dev.l7splice.relay.balance;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code slowstart}: a server that comes back up starts at a small weight which grows linearly to
 * its configured weight over the slowstart time, so a cold backend is not flooded with a full share
 * at once. Steps every slowstart/20 (at least 50 ms); the effective weight is at least 1. Only a
 * return from DOWN ramps: servers start at full weight. Thread contract: {@link #begin} runs under
 * the pool's lock; steps run on one shared timer thread and go back through the pool.
 */
final class SlowStart {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slowstart");
        t.setDaemon(true);
        return t;
    });

    private final Pool pool;
    private final Map<Server, Long> started = new ConcurrentHashMap<>();

    SlowStart(Pool pool) {
        this.pool = pool;
    }

    boolean ramping(Server s) {
        return started.containsKey(s);
    }

    void begin(Server s) {
        long ms = s.options().slowstartMs();
        if (ms <= 0 || s.configuredWeight() == 0) {
            return;
        }
        started.put(s, System.nanoTime());
        s.weights(s.configuredWeight(), weightAt(s.configuredWeight(), 0, ms));
        long step = Math.max(50, ms / 20);
        TIMER.schedule(() -> step(s, ms, step), step, TimeUnit.MILLISECONDS);
    }

    private void step(Server s, long ms, long step) {
        Long t0 = started.get(s);
        if (t0 == null) {
            return;
        }
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        if (!s.isUp() || elapsed >= ms) {
            started.remove(s);
            pool.setEffectiveWeight(s, s.configuredWeight());
            return;
        }
        pool.setEffectiveWeight(s, weightAt(s.configuredWeight(), elapsed, ms));
        TIMER.schedule(() -> step(s, ms, step), step, TimeUnit.MILLISECONDS);
    }

    /** Linear ramp, at least 1. */
    static int weightAt(int configured, long elapsedMs, long slowstartMs) {
        return (int) Math.max(1, (long) configured * elapsedMs / slowstartMs);
    }
}
