package dev.l7splice.relay.balance;

import dev.l7splice.agent.core.nativeio.LinuxIo;

/**
 * {@code check tcp}: every {@code inter} ms, a TCP connect to each server (timeout: inter, at most
 * 2 s). {@code rise} successes in a row bring a down server up, {@code fall} failures in a row take
 * an up server down; the pool logs each transition once. Runs on its own daemon thread.
 */
public final class TcpCheck implements Runnable {

    private final Pool pool;
    private final int interMillis;
    private final int rise;
    private final int fall;
    private final int[] streak;

    public TcpCheck(Pool pool, int interMillis, int rise, int fall) {
        this.pool = pool;
        this.interMillis = interMillis;
        this.rise = rise;
        this.fall = fall;
        this.streak = new int[pool.servers().size()];
    }

    public void start() {
        Thread t = new Thread(this, "check-" + pool.name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        for (;;) {
            for (int i = 0; i < streak.length; i++) {
                Server s = pool.servers().get(i);
                int fd = LinuxIo.tcpConnect(s.host, s.port, Math.min(interMillis, 2000));
                boolean ok = fd >= 0;
                if (ok) {
                    LinuxIo.close(fd);
                }
                // streak > 0: successes in a row; < 0: failures in a row
                streak[i] = ok ? Math.max(streak[i], 0) + 1 : Math.min(streak[i], 0) - 1;
                if (ok && streak[i] >= rise) {
                    pool.markUp(s, "tcp check passed " + streak[i] + " times");
                } else if (!ok && -streak[i] >= fall) {
                    pool.markDown(s, "tcp check failed " + -streak[i] + " times: errno " + -fd);
                }
            }
            try {
                Thread.sleep(interMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
