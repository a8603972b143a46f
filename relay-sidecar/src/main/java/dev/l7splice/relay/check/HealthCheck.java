package dev.l7splice.relay.check;

import dev.l7splice.relay.balance.Pool;
import dev.l7splice.relay.balance.Server;
import java.util.List;

/**
 * Active health checks of one pool: each server with {@code check} is probed every {@code inter}
 * ms (its own interval); {@code rise} successes in a row bring a down server up, {@code fall}
 * failures in a row take an up server down, and the pool logs each transition once. The probe is
 * a TCP connect or an HTTP request ({@link Probe}), bounded by {@code timeout check} (default: the
 * server's inter, at most 2 s). Runs on one daemon thread per pool; {@link #stop} ends it (reload).
 */
public final class HealthCheck implements Runnable {

    /** One checked server and its own settings. */
    public record Target(Server server, long interMs, int rise, int fall) {
    }

    private final Pool pool;
    private final List<Target> targets;
    private final Probe probe;
    private final long timeoutMs;
    private final long[] due;
    private final int[] streak;
    private volatile Thread thread;

    public HealthCheck(Pool pool, List<Target> targets, Probe probe, long timeoutMs) {
        this.pool = pool;
        this.targets = List.copyOf(targets);
        this.probe = probe;
        this.timeoutMs = timeoutMs;
        this.due = new long[targets.size()];
        this.streak = new int[targets.size()];
    }

    public HealthCheck start() {
        if (!targets.isEmpty()) {
            Thread t = new Thread(this, "check-" + pool.name);
            t.setDaemon(true);
            thread = t;
            t.start();
        }
        return this;
    }

    public void stop() {
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public void run() {
        while (thread == Thread.currentThread()) {
            long now = System.nanoTime();
            long next = Long.MAX_VALUE;
            for (int i = 0; i < targets.size(); i++) {
                if (now - due[i] >= 0) {
                    checkOnce(i);
                    due[i] = System.nanoTime() + targets.get(i).interMs() * 1_000_000L;
                }
                next = Math.min(next, due[i]);
            }
            long sleepMs = Math.max(1, (next - System.nanoTime()) / 1_000_000);
            try {
                Thread.sleep(sleepMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void checkOnce(int i) {
        Target t = targets.get(i);
        Server s = t.server();
        int timeout = (int) (timeoutMs > 0 ? timeoutMs : Math.min(t.interMs(), 2000));
        Probe.Result r = probe.check(s, timeout);
        s.stats.checked(r.ok(), r.text());
        // streak > 0: successes in a row; < 0: failures in a row
        streak[i] = r.ok() ? Math.max(streak[i], 0) + 1 : Math.min(streak[i], 0) - 1;
        if (r.ok() && streak[i] >= t.rise()) {
            pool.markUp(s, probe.name() + " check passed " + streak[i] + " times: " + r.text());
        } else if (!r.ok() && -streak[i] >= t.fall()) {
            pool.markDown(s, probe.name() + " check failed " + -streak[i] + " times: " + r.text());
        }
    }
}
