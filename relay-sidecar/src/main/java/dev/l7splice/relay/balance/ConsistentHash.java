package dev.l7splice.relay.balance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;

/**
 * {@code balance source} (key: the client's address) and {@code balance hash} (key: a value the
 * caller supplies): consistent hashing on a ring holding {@code 100 x weight} points per usable
 * server. The same key keeps going to the same server; adding or removing one of n servers moves
 * about 1/n of the keys, and only those of that server. Limits: balance is statistical, not exact
 * (within a few percent with 100 points per unit of weight); a full server's keys spill to the next
 * server on the ring while it stays full (walking the ring is O(points) in that case only).
 */
final class ConsistentHash implements Balancer {

    private static final int POINTS_PER_WEIGHT = 100;

    private List<Server> servers;
    private final TreeMap<Long, Server> ring = new TreeMap<>();

    @Override
    public void init(List<Server> all) {
        servers = all;
        rebuild();
    }

    @Override
    public Server pick(String key) {
        if (ring.isEmpty()) {
            return null;
        }
        // The key's server, or the next one along the ring while that one is at its maxconn.
        long h = hash(key);
        for (Server s : ring.tailMap(h, true).values()) {
            if (s.usable()) {
                return s;
            }
        }
        for (Server s : ring.headMap(h, false).values()) {
            if (s.usable()) {
                return s;
            }
        }
        return null;
    }

    @Override
    public void serverUp(Server s) {
        rebuild();
    }

    @Override
    public void serverDown(Server s) {
        rebuild();
    }

    @Override
    public void weightChanged(Server s) {
        rebuild();
    }

    private void rebuild() {
        ring.clear();
        for (Server s : servers) {
            if (s.inRotation()) {
                for (int i = 0; i < POINTS_PER_WEIGHT * s.weight(); i++) {
                    ring.put(hash(s.name + "#" + i), s);
                }
            }
        }
    }

    /** 64-bit FNV-1a, then a finalizer so nearby keys spread over the ring. */
    static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
