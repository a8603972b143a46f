package dev.l7splice.it.support;

import dev.l7splice.demo.BodyPattern;
import java.io.EOFException;
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
 * sockets 16 KiB at a time, round-robin, and checking every body against the pattern. Each body is
 * read to end of stream, or ({@link #readAllToLength}) to its Content-Length, for servers such as
 * Helidon 4.5 that answer "Connection: close" but leave the close to the client.
 */
public final class RoundRobinReaders {

    private RoundRobinReaders() {
    }

    /** Reads every socket's response (head, then a body of {@code body} bytes to end of stream); returns how many were whole. */
    public static int readAll(List<Socket> sockets, int readers, long body, long timeoutSeconds) throws Exception {
        return read(sockets, readers, body, timeoutSeconds, false);
    }

    /** Same, each body read to its Content-Length; a body that ends before it fails the read. */
    public static int readAllToLength(List<Socket> sockets, int readers, long body, long timeoutSeconds) throws Exception {
        return read(sockets, readers, body, timeoutSeconds, true);
    }

    private static int read(List<Socket> sockets, int readers, long body, long timeoutSeconds, boolean toLength)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        try {
            List<Future<Integer>> ok = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                List<Socket> mine = new ArrayList<>();
                for (int i = r; i < sockets.size(); i += readers) {
                    mine.add(sockets.get(i));
                }
                ok.add(pool.submit(() -> readShare(mine, body, toLength)));
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

    private static int readShare(List<Socket> mine, long body, boolean toLength) throws Exception {
        MessageDigest[] md = new MessageDigest[mine.size()];
        long[] got = new long[mine.size()];
        long[] left = new long[mine.size()];
        for (int i = 0; i < mine.size(); i++) {
            RawHttp.Response head = RawHttp.readHead(mine.get(i).getInputStream());
            left[i] = toLength ? Long.parseLong(head.header("content-length")) : Long.MAX_VALUE;
            md[i] = RawHttp.sha256();
        }
        byte[] buf = new byte[16 * 1024];
        for (int open = mine.size(); open > 0; ) {
            open = 0;
            for (int i = 0; i < mine.size(); i++) {
                if (left[i] == 0) {
                    continue;
                }
                InputStream in = mine.get(i).getInputStream();
                int k = in.read(buf, 0, (int) Math.min(buf.length, left[i]));
                if (k < 0) {
                    if (toLength) {
                        throw new EOFException("a body ended " + left[i] + " bytes short");
                    }
                    left[i] = 0;
                    continue;
                }
                md[i].update(buf, 0, k);
                got[i] += k;
                left[i] -= k;
                open += left[i] > 0 ? 1 : 0;
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
