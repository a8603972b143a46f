package dev.l7splice.it.helidon;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.RawHttp;
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
 * Slow clients for many Helidon downloads open at once: a few reader threads, each reading its share
 * of the sockets 16 KiB at a time, round-robin, each body to its Content-Length (Helidon 4.5 answers
 * "Connection: close" but leaves closing to the client, so a body cannot be read to end of stream),
 * and checking it against the pattern.
 */
final class SlowReaders {

    private SlowReaders() {
    }

    /** Reads every socket's response (a head, then a body of {@code body} bytes); returns how many were whole. */
    static int readAll(List<Socket> sockets, int readers, long body, long timeoutSeconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        try {
            List<Future<Integer>> ok = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                List<Socket> mine = new ArrayList<>();
                for (int i = r; i < sockets.size(); i += readers) {
                    mine.add(sockets.get(i));
                }
                ok.add(pool.submit(() -> readShare(mine, body)));
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

    private static int readShare(List<Socket> mine, long body) throws Exception {
        MessageDigest[] md = new MessageDigest[mine.size()];
        long[] left = new long[mine.size()];
        for (int i = 0; i < mine.size(); i++) {
            left[i] = Long.parseLong(RawHttp.readHead(mine.get(i).getInputStream()).header("content-length"));
            md[i] = RawHttp.sha256();
        }
        byte[] buf = new byte[16 * 1024];
        for (int open = mine.size(); open > 0; ) {
            open = 0;
            for (int i = 0; i < mine.size(); i++) {
                if (left[i] > 0) {
                    InputStream in = mine.get(i).getInputStream();
                    int k = in.read(buf, 0, (int) Math.min(buf.length, left[i]));
                    if (k < 0) {
                        throw new java.io.EOFException("a body ended " + left[i] + " bytes short");
                    }
                    md[i].update(buf, 0, k);
                    left[i] -= k;
                    open += left[i] > 0 ? 1 : 0;
                }
            }
        }
        String expected = BodyPattern.sha256Hex(body);
        int whole = 0;
        for (MessageDigest d : md) {
            whole += HexFormat.of().formatHex(d.digest()).equals(expected) ? 1 : 0;
        }
        return whole;
    }
}
