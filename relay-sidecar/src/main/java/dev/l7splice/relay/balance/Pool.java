package dev.l7splice.relay.balance;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named pool of servers, its balancer and its queue. Every state change goes through here, under
 * the pool's monitor, and is passed on to the balancer's hooks; a server's transitions are logged
 * once each (never per connection). When every server in rotation is at its maxconn, up to
 * {@code maxQueue} connections wait in FIFO order, each for at most its queue timeout; a freed slot
 * goes to the oldest waiter first. Thread-safe.
 */
public final class Pool {

    private static final Logger LOG = LoggerFactory.getLogger(Pool.class);

    public final String name;
    private final List<Server> servers;
    private final Balancer balancer;
    private final int maxQueue;
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private final SlowStart slowStart = new SlowStart(this);
    private boolean allDownLogged;
    public final AtomicLong queueTimeouts = new AtomicLong();
    public final AtomicLong queueFull = new AtomicLong();
    public final AtomicLong noServer = new AtomicLong();

    public Pool(String name, List<Server> servers, Balancer balancer) {
        this(name, servers, balancer, 0);
    }

    public Pool(String name, List<Server> servers, Balancer balancer, int maxQueue) {
        this.name = name;
        this.servers = List.copyOf(servers);
        this.balancer = balancer;
        this.maxQueue = maxQueue;
        balancer.init(this.servers);
        this.servers.forEach(s -> s.pool(this));
    }

    public List<Server> servers() {
        return servers;
    }

    public Server server(String serverName) {
        return servers.stream().filter(s -> s.name.equals(serverName)).findFirst().orElse(null);
    }

    /** Picks a server and counts the connection as taken; null when none is usable now. */
    public synchronized Server take(String key) {
        Server s = queue.isEmpty() ? balancer.pick(key) : null; // waiters first
        if (s == null) {
            if (!allDownLogged && !anyInRotation()) {
                allDownLogged = true;
                LOG.warn("pool {}: no server available", name);
            }
            return null;
        }
        allDownLogged = false;
        return taken(s);
    }

    /**
     * Like {@link #take}, but when servers are in rotation and all full, queues the connection for
     * at most {@code timeoutMillis}. The waiter's future completes with the server, with null (no
     * server in rotation, or the queue is full) or with a TimeoutException.
     */
    public synchronized Waiter takeOrQueue(String key, long timeoutMillis) {
        Waiter w = new Waiter(key);
        Server s = take(key);
        if (s != null) {
            w.server.complete(s);
        } else if (!anyInRotation()) {
            noServer.incrementAndGet();
            w.server.complete(null);
        } else if (queue.size() >= maxQueue) {
            queueFull.incrementAndGet();
            w.server.complete(null);
        } else {
            queue.add(w);
            if (timeoutMillis > 0) {
                // Out of the queue and counted before the waiter learns of its timeout, so whoever
                // it tells sees a pool that already agrees.
                CompletableFuture.delayedExecutor(timeoutMillis, TimeUnit.MILLISECONDS).execute(() -> expire(w));
            }
        }
        return w;
    }

    public synchronized int queued() {
        return queue.size();
    }

    /** A waiter's queue timeout: if it is still waiting, it leaves the queue and fails. */
    private synchronized void expire(Waiter w) {
        if (queue.remove(w)) {
            queueTimeouts.incrementAndGet();
            w.server.completeExceptionally(new TimeoutException("queue timeout"));
        }
    }

    private Server taken(Server s) {
        s.active.incrementAndGet();
        balancer.taken(s);
        return s;
    }

    /**
     * The connection taken from {@code s} has ended: its slot goes to the oldest waiter. Call it on
     * {@code s.pool()}, the server's pool now, so that after a reload the new pool's queue is served.
     */
    public synchronized void drop(Server s) {
        s.active.decrementAndGet();
        balancer.dropped(s);
        serveQueue();
    }

    private void serveQueue() {
        while (!queue.isEmpty()) {
            Waiter w = queue.peek();
            Server s = balancer.pick(w.key);
            if (s == null) {
                if (!anyInRotation()) { // nobody will free a slot: tell the waiters now
                    queue.forEach(q -> q.server.complete(null));
                    queue.clear();
                }
                return;
            }
            queue.poll();
            taken(s);
            if (!w.server.complete(s)) { // timed out meanwhile
                s.active.decrementAndGet();
                balancer.dropped(s);
            }
        }
    }

    private boolean anyInRotation() {
        for (Server s : servers) {
            if (s.inRotation()) {
                return true;
            }
        }
        return false;
    }

    public synchronized void markUp(Server s, String why) {
        if (!s.isUp()) {
            s.up(true);
            slowStart.begin(s);
            balancer.serverUp(s);
            LOG.info("pool {}: server {} is UP ({})", name, s, why);
            serveQueue();
        }
    }

    public synchronized void markDown(Server s, String why) {
        if (s.isUp()) {
            s.up(false);
            balancer.serverDown(s);
            LOG.warn("pool {}: server {} is DOWN ({})", name, s, why);
            serveQueue();
        }
    }

    /** Sets the configured weight (admin or reload); a slow start in progress keeps ramping to it. */
    public synchronized void setWeight(Server s, int weight) {
        Server.checkWeight(weight);
        s.weights(weight, slowStart.ramping(s) ? Math.min(s.weight(), weight) : weight);
        balancer.weightChanged(s);
        serveQueue();
    }

    /** Slow start's ramp step: the effective weight only. */
    synchronized void setEffectiveWeight(Server s, int weight) {
        s.weights(s.configuredWeight(), weight);
        balancer.weightChanged(s);
        serveQueue();
    }

    /** Admin: READY puts it back in rotation, DRAIN keeps its connections but sends no new ones, MAINT both. */
    public synchronized void setAdmin(Server s, Server.AdminState state) {
        Server.AdminState was = s.admin();
        if (was == state) {
            return;
        }
        boolean wasIn = s.inRotation();
        s.admin(state);
        if (wasIn && !s.inRotation()) {
            balancer.serverDown(s);
        } else if (!wasIn && s.inRotation()) {
            balancer.serverUp(s);
        }
        LOG.info("pool {}: server {} set to {} by admin (was {})", name, s, state, was);
        serveQueue();
    }
}
