package dev.l7splice.relay.balance;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code balance first}: the first usable server in configuration order that is below its
 * {@code maxconn}; the next one only when it is full. Packs connections onto as few servers as
 * possible (the rest can be scaled down). Limits: meaningless without maxconn on the servers; with
 * none set it always picks the first usable server.
 */
final class First implements Balancer {

    private final List<Server> servers = new ArrayList<>();
    private final int maxconn;

    First() {
        this(0);
    }

    /** @param maxconn per-server connection limit used to move on to the next server; 0 = none */
    First(int maxconn) {
        this.maxconn = maxconn;
    }

    @Override
    public void init(List<Server> all) {
        servers.addAll(all);
    }

    @Override
    public Server pick(String key) {
        for (Server s : servers) {
            if (s.usable() && (maxconn == 0 || s.active() < maxconn)) {
                return s;
            }
        }
        return null;
    }
}
