package dev.l7splice.relay.balance;

import java.util.List;

/**
 * A load-balancing algorithm, as a set of lifecycle hooks rather than only "pick": the pool tells
 * it when a server goes up or down, when a weight changes, and when a connection is taken or
 * dropped, so each algorithm keeps exactly the state it needs. Thread contract: the pool calls
 * every method under its own lock, so implementations need no locking of their own.
 */
public interface Balancer {

    /** Called once with every server of the pool, in configuration order, before any other call. */
    void init(List<Server> servers);

    /** The server for a new connection whose key (client address or hash key) is given; null if none is usable. */
    Server pick(String key);

    default void serverUp(Server s) {
    }

    default void serverDown(Server s) {
    }

    default void weightChanged(Server s) {
    }

    default void taken(Server s) {
    }

    default void dropped(Server s) {
    }

    /** The algorithm for a {@code balance} keyword's value (its first word; {@code hash} may name its key after it). */
    static Balancer named(String balance) {
        String name = balance.split(" ")[0];
        switch (name) {
            case "roundrobin": return new RoundRobin();
            case "leastconn": return new LeastConn();
            case "random": return new RandomOfTwo();
            case "source":
            case "hash": return new ConsistentHash();
            case "first": return new First();
            default: throw new IllegalArgumentException(
                    "unknown balance algorithm '" + name + "' (roundrobin, leastconn, random, source, hash, first)");
        }
    }
}
