package dev.l7splice.relay.balance;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One backend server of a pool: its address, its weights, its health and admin state, its limits
 * and the connections it holds now. Thread contract: state and weights change only through the
 * pool (which then tells its balancer); {@code active} is updated by the pool when a connection is
 * taken or dropped; options ({@link #options}) are replaced whole on a reload; stats are atomic.
 */
public final class Server {

    /** What an operator set through the admin endpoint (HAProxy's ready / drain / maint). */
    public enum AdminState { READY, DRAIN, MAINT }

    /** Settings a reload may change in place, replaced as one object. */
    public record Options(int maxConn, int sendProxy, long slowstartMs) {
        public static final Options NONE = new Options(0, 0, 0);
    }

    public final String name;
    public final String host;
    public final int port;
    private volatile int configuredWeight;
    private volatile int weight;
    private volatile boolean up = true;
    private volatile AdminState admin = AdminState.READY;
    private volatile Options options = Options.NONE;
    final AtomicInteger active = new AtomicInteger();
    private volatile Pool owner;
    public final ServerStats stats = new ServerStats();

    public Server(String name, String host, int port, int weight) {
        checkWeight(weight);
        this.name = name;
        this.host = host;
        this.port = port;
        this.configuredWeight = weight;
        this.weight = weight;
    }

    static void checkWeight(int w) {
        if (w < 0 || w > 256) {
            throw new IllegalArgumentException("weight must be 0..256, got " + w);
        }
    }

    /** The weight balancers use now: the configured one, or less while slow-starting. */
    public int weight() {
        return weight;
    }

    /** The weight from the configuration or the last admin change. */
    public int configuredWeight() {
        return configuredWeight;
    }

    void weights(int configured, int effective) {
        configuredWeight = configured;
        weight = effective;
    }

    public boolean isUp() {
        return up;
    }

    void up(boolean u) {
        up = u;
    }

    public AdminState admin() {
        return admin;
    }

    void admin(AdminState a) {
        admin = a;
    }

    public Options options() {
        return options;
    }

    public Server options(Options o) {
        options = o;
        return this;
    }

    /** The pool that holds this server now (a reload moves unchanged servers to the new pool). */
    public Pool pool() {
        return owner;
    }

    void pool(Pool p) {
        owner = p;
    }

    /** Connections this server holds now. */
    public int active() {
        return active.get();
    }

    /** At its maxconn: new connections wait in the pool's queue or go elsewhere. */
    public boolean full() {
        int max = options.maxConn();
        return max > 0 && active.get() >= max;
    }

    /** Healthy, weighted, and not drained or in maintenance: belongs in the rotation. */
    boolean inRotation() {
        return up && weight > 0 && admin == AdminState.READY;
    }

    /** In the rotation and below maxconn: can be picked now. */
    boolean usable() {
        return inRotation() && !full();
    }

    /** "UP", "DOWN", "DRAIN" or "MAINT", for stats. */
    public String state() {
        return admin == AdminState.MAINT ? "MAINT" : !up ? "DOWN" : admin == AdminState.DRAIN ? "DRAIN" : "UP";
    }

    @Override
    public String toString() {
        return name + "(" + host + ":" + port + ")";
    }
}
