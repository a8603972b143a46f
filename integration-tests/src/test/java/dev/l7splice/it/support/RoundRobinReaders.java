package dev.l7splice.it.support;

import dev.l7splice.demo.BodyPattern;
import java.io.InputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Slow clients for many downloads open at once: a few reader threads, each reading its share of the
 * sockets 16 KiB at a time, round-robin, and checking every body against the pattern.
 */
public final class RoundRobinReaders {

    private RoundRobinReaders() {
    }

    /** Reads every socket's response (head, then a body of {@code body} bytes); returns how many were whole. */
    public static int readAll(List<Socket> sockets, int readers, long body, long timeoutSeconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        try {
            List<Future<Integer>> ok = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                int from = r;
                ok.add(pool.submit(() -> readShare(sockets, from, readers, body)));
            }
            int whole = 0;
            for (Future<Integer> f : ok) {
                whole += f.get(timeoutSeconds, TimeUnit.SECONDS);
            }
            return whole;
        } finally {
            pool.shutdownNow();
        }
    }

    private static int readShare(List<Socket> all, int from, int step, long body) throws Exception {
        List<Socket> mine = new ArrayList<>();
        for (int i = from; i < all.size(); i += step) {
            mine.add(all.get(i));
        }
        MessageDigest[] md = new MessageDigest[mine.size()];
        long[] got = new long[mine.size()];
        boolean[] ended = new boolean[mine.size()];
        for (int i = 0; i < mine.size(); i++) {
            RawHttp.readHead(mine.get(i).getInputStream());
            md[i] = RawHttp.sha256();
        }
        byte[] buf = new byte[16 * 1024];
        int open = mine.size();
        while (open > 0) {
            for (int i = 0; i < mine.size(); i++) {
                if (ended[i]) {
                    continue;
                }
                InputStream in = mine.get(i).getInputStream();
                int k = in.read(buf);
                if (k < 0) {
                    ended[i] = true;
                    open--;
                } else {
                    md[i].update(buf, 0, k);
                    got[i] += k;
                }
            }
        }
        int whole = 0;
        String expected = BodyPattern.sha256Hex(body);
        for (int i = 0; i < mine.size(); i++) {
            if (got[i] == body && HexFormat.of().formatHex(md[i].digest()).equals(expected)) {
                whole++;
            }
        }
        return whole;
    }
}
