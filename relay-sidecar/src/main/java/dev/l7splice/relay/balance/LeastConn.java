package dev.l7splice.relay.balance;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code balance leastconn}: the usable server with the fewest connections per unit of weight;
 * ties go round robin, so equal servers share new connections evenly. Meant for long sessions.
 * Limits: counts connections, not bytes or load; a fresh server receives every new connection
 * until it catches up (use slowstart where that matters).
 */
final class LeastConn implements Balancer {

    private final List<Server> servers = new ArrayList<>();
    private int next;

    @Override
    public void init(List<Server> all) {
        servers.addAll(all);
    }

    @Override
    public Server pick(String key) {
        Server best = null;
        int n = servers.size();
        for (int k = 0; k < n; k++) {
            Server s = servers.get((next + k) % n);
            if (s.usable() && (best == null
                    || (long) s.active() * best.weight() < (long) best.active() * s.weight())) {
                best = s;
            }
        }
        next = (next + 1) % Math.max(1, n);
        return best;
    }
}
