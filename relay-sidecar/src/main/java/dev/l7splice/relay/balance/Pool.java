package dev.l7splice.relay.balance;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named pool of servers and its balancer. Every state change goes through here, under the
 * pool's monitor, and is passed on to the balancer's hooks; a server's up/down transitions are
 * logged once each (never per connection). Thread-safe.
 */
public final class Pool {

    private static final Logger LOG = LoggerFactory.getLogger(Pool.class);

    public final String name;
    private final List<Server> servers;
    private final Balancer balancer;
    private boolean allDownLogged;

    public Pool(String name, List<Server> servers, Balancer balancer) {
        this.name = name;
        this.servers = List.copyOf(servers);
        this.balancer = balancer;
        balancer.init(this.servers);
    }

    public List<Server> servers() {
        return servers;
    }

    /** Picks a server and counts the connection as taken; null when none is usable. */
    public synchronized Server take(String key) {
        Server s = balancer.pick(key);
        if (s == null) {
            if (!allDownLogged) {
                allDownLogged = true;
                LOG.warn("pool {}: no server available", name);
            }
            return null;
        }
        allDownLogged = false;
        s.active.incrementAndGet();
        balancer.taken(s);
        return s;
    }

    /** The connection taken from {@code s} has ended. */
    public synchronized void drop(Server s) {
        s.active.decrementAndGet();
        balancer.dropped(s);
    }

    public synchronized void markUp(Server s, String why) {
        if (!s.isUp()) {
            s.up(true);
            balancer.serverUp(s);
            LOG.info("pool {}: server {} is UP ({})", name, s, why);
        }
    }

    public synchronized void markDown(Server s, String why) {
        if (s.isUp()) {
            s.up(false);
            balancer.serverDown(s);
            LOG.warn("pool {}: server {} is DOWN ({})", name, s, why);
        }
    }

    public synchronized void setWeight(Server s, int weight) {
        s.weight(weight);
        balancer.weightChanged(s);
    }
}
