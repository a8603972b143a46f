package dev.l7splice.relay.balancer;

import dev.l7splice.kernel.nativeio.LinuxIo;
import dev.l7splice.relay.balance.HashKey;
import dev.l7splice.relay.balance.Pool;
import dev.l7splice.relay.balance.Server;
import dev.l7splice.relay.check.HealthCheck;
import dev.l7splice.relay.config.RelayConfig.ProxySection;
import dev.l7splice.relay.config.RelayConfig.Timeouts;
import java.util.Map;

/**
 * The running form of one {@code listen} or {@code pool} section: its pool (with balancer and
 * queue), its health checks, and the settings connections use. Immutable apart from the pool's
 * own state; a reload builds a new one (reusing unchanged servers, so their connection counts
 * carry over) and listeners switch to it atomically.
 */
public final class Frontend {

    final ProxySection section;
    public final Pool pool;
    final HealthCheck check;
    /** Consecutive connect failures that take a server down (passive check), per server name. */
    final Map<String, Integer> passiveFall;
    /** What {@code balance source} or {@code balance hash} hashes; null for the other algorithms. */
    private final HashKey hashKey;

    Frontend(ProxySection section, Pool pool, HealthCheck check, Map<String, Integer> passiveFall) {
        this.section = section;
        this.pool = pool;
        this.check = check;
        this.passiveFall = passiveFall;
        String[] balance = section.balance().split(" ");
        this.hashKey = balance[0].equals("source") || balance[0].equals("hash")
                ? HashKey.parse(balance.length > 1 ? balance[1] : "src") : null;
    }

    /**
     * The balancing key of a client connection (its address, or the part of {@code head} that
     * {@code balance hash} names); "" when the algorithm uses none.
     */
    String keyOf(int client, byte[] head) {
        if (hashKey == null) {
            return "";
        }
        String fromHead = hashKey.fromHead(head); // read before the peer's address: no getpeername then
        if (fromHead != null) {
            return fromHead;
        }
        String peer = LinuxIo.peerAddress(client);
        return peer == null ? "" : peer.substring(0, peer.lastIndexOf(':'));
    }

    String name() {
        return section.name();
    }

    Timeouts timeouts() {
        return section.timeouts();
    }

    /**
     * Inactivity limit of an established connection (no byte either way): {@code timeout tunnel}
     * when set, else the smaller of {@code timeout client} and {@code timeout server} that is set;
     * 0 = none.
     */
    long idleTimeoutMillis() {
        Timeouts t = timeouts();
        if (t.tunnel() > 0) {
            return t.tunnel();
        }
        if (t.client() > 0 && t.server() > 0) {
            return Math.min(t.client(), t.server());
        }
        return Math.max(t.client(), t.server());
    }

    /** Queue timeout: {@code timeout queue}, or the connect timeout when unset (as HAProxy). */
    long queueTimeoutMillis() {
        Timeouts t = timeouts();
        return t.queue() > 0 ? t.queue() : t.connect();
    }

    int passiveFall(Server s) {
        return passiveFall.getOrDefault(s.name, 3);
    }

    void stop() {
        if (check != null) {
            check.stop();
        }
    }
}
