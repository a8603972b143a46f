package dev.l7splice.relay.balance;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code balance roundrobin}: smooth weighted round robin. Each pick adds every usable server's
 * weight to its running score, takes the highest score and subtracts the total weight from it, so
 * weights 5:1:1 give a,a,b,a,c,a,a rather than a burst of five. Limits: ignores how long
 * connections last (see leastconn); a server coming back starts from a score of zero.
 */
final class RoundRobin implements Balancer {

    private final List<Server> servers = new ArrayList<>();
    private final List<long[]> score = new ArrayList<>();

    @Override
    public void init(List<Server> all) {
        servers.addAll(all);
        for (int i = 0; i < all.size(); i++) {
            score.add(new long[1]);
        }
    }

    @Override
    public Server pick(String key) {
        long total = 0;
        int best = -1;
        for (int i = 0; i < servers.size(); i++) {
            Server s = servers.get(i);
            if (!s.usable()) {
                continue;
            }
            long[] sc = score.get(i);
            sc[0] += s.weight();
            total += s.weight();
            if (best < 0 || sc[0] > score.get(best)[0]) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        score.get(best)[0] -= total;
        return servers.get(best);
    }

    @Override
    public void serverUp(Server s) {
        score.get(servers.indexOf(s))[0] = 0;
    }
}
