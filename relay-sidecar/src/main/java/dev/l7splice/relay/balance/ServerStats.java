package dev.l7splice.relay.balance;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the admin endpoint shows per server: connections, bytes each way, failed connects, the last
 * health check's result, and a histogram of connect times. Lock-free; written by connector, loop
 * and check threads, read by the admin thread.
 */
public final class ServerStats {

    /** Upper bounds of the connect-time buckets, in milliseconds (the last bucket is +Inf). */
    public static final double[] CONNECT_BUCKETS_MS = {0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};

    public final AtomicLong connections = new AtomicLong();
    public final AtomicLong connectFailures = new AtomicLong();
    /** Failed connects in a row (the passive check); reset by a successful one. */
    public final java.util.concurrent.atomic.AtomicInteger failureStreak = new java.util.concurrent.atomic.AtomicInteger();
    public final AtomicLong bytesToServer = new AtomicLong();
    public final AtomicLong bytesToClient = new AtomicLong();
    public final AtomicLong checksPassed = new AtomicLong();
    public final AtomicLong checksFailed = new AtomicLong();
    private final AtomicLongArray connectBuckets = new AtomicLongArray(CONNECT_BUCKETS_MS.length + 1);
    private final AtomicLong connectNanosSum = new AtomicLong();
    private volatile String lastCheck = "none";
    /** Wall-clock time of the last health check, 0 before the first. */
    private volatile long lastCheckMillis;

    public void connected(long nanos) {
        connections.incrementAndGet();
        connectNanosSum.addAndGet(nanos);
        double ms = nanos / 1e6;
        int i = 0;
        while (i < CONNECT_BUCKETS_MS.length && ms > CONNECT_BUCKETS_MS[i]) {
            i++;
        }
        connectBuckets.incrementAndGet(i);
    }

    /** Non-cumulative count of bucket i (i == CONNECT_BUCKETS_MS.length is the +Inf bucket). */
    public long connectBucket(int i) {
        return connectBuckets.get(i);
    }

    public double connectSecondsSum() {
        return connectNanosSum.get() / 1e9;
    }

    public void checked(boolean ok, String result) {
        (ok ? checksPassed : checksFailed).incrementAndGet();
        lastCheck = result;
        lastCheckMillis = System.currentTimeMillis();
    }

    /** When the last health check ended (epoch milliseconds), 0 if none ran yet. */
    public long lastCheckMillis() {
        return lastCheckMillis;
    }

    /** The last health check's result, e.g. "L4OK in 0 ms", "L7STS 503", "L4CON errno 111". */
    public String lastCheck() {
        return lastCheck;
    }
}
