package dev.l7splice.relay.balance;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One backend server of a pool: its address, its configured weight, whether it is up, and the
 * connections it holds now. Thread contract: {@code up} and {@code weight} change only through the
 * pool (which then tells its balancer); {@code active} is updated by whoever takes or drops a
 * connection.
 */
public final class Server {

    public final String name;
    public final String host;
    public final int port;
    private volatile int weight;
    private volatile boolean up = true;
    final AtomicInteger active = new AtomicInteger();

    public Server(String name, String host, int port, int weight) {
        if (weight < 0 || weight > 256) {
            throw new IllegalArgumentException("weight must be 0..256, got " + weight);
        }
        this.name = name;
        this.host = host;
        this.port = port;
        this.weight = weight;
    }

    public int weight() {
        return weight;
    }

    void weight(int w) {
        weight = w;
    }

    public boolean isUp() {
        return up;
    }

    void up(boolean u) {
        up = u;
    }

    /** Connections this server holds now. */
    public int active() {
        return active.get();
    }

    /** Up and with a weight above zero: can be picked. */
    boolean usable() {
        return up && weight > 0;
    }

    @Override
    public String toString() {
        return name + "(" + host + ":" + port + ")";
    }
}
