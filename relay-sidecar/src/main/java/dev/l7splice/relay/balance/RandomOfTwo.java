package dev.l7splice.relay.balance;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code balance random}: the power of two choices. Two servers are drawn at random in proportion
 * to their weights and the one with fewer connections per unit of weight wins. Nearly as even as
 * leastconn, with no shared scan order, so several relays in front of the same pool do not herd.
 * Limits: with one usable server both draws are that server.
 */
final class RandomOfTwo implements Balancer {

    private final List<Server> servers = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom();

    @Override
    public void init(List<Server> all) {
        servers.addAll(all);
    }

    @Override
    public Server pick(String key) {
        Server a = draw();
        Server b = draw();
        if (a == null) {
            return null;
        }
        return (long) b.active() * a.weight() < (long) a.active() * b.weight() ? b : a;
    }

    private Server draw() {
        long total = 0;
        for (Server s : servers) {
            total += s.usable() ? s.weight() : 0;
        }
        if (total == 0) {
            return null;
        }
        long r = random.nextLong(total);
        for (Server s : servers) {
            if (s.usable()) {
                r -= s.weight();
                if (r < 0) {
                    return s;
                }
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
