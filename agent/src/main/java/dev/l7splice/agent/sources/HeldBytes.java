package dev.l7splice.agent.sources;

import dev.l7splice.agent.runtime.JdkSockets;
import java.io.BufferedInputStream;
import java.util.Arrays;

/** The bytes an owner already holds: a {@code BufferedInputStream}'s unread bytes, taken under its monitor. */
public final class HeldBytes {

    private HeldBytes() {
    }

    /**
     * Takes up to {@code limit} unread bytes from a BufferedInputStream's buffer (all of them for
     * an unbounded transfer) and returns them, or null when a mark is
     * set and still within its limit (the JDK would keep buffering for reset(), which splicing cannot honour). JDK 17's
     * BufferedInputStream synchronises on itself; holding its monitor keeps a concurrent read out.
     */
    public static byte[] take(BufferedInputStream bis, long limit) {
        synchronized (bis) {
            byte[] buf = (byte[]) JdkSockets.bisBuf.getVolatile(bis);
            int pos = (int) JdkSockets.bisPos.get(bis);
            int markpos = (int) JdkSockets.bisMarkpos.get(bis);
            if (markpos >= 0 && pos - markpos > (int) JdkSockets.bisMarklimit.get(bis)) {
                // Read past its limit: mark() allows reset() to fail from here on, and the JDK drops
                // such a mark at its next fill (HttpURLConnection's client leaves one after its head).
                JdkSockets.bisMarkpos.set(bis, -1);
                markpos = -1;
            }
            if (buf == null || markpos >= 0) {
                return null;
            }
            int count = (int) JdkSockets.bisCount.get(bis);
            // Bounded callers take only what they are owed; the rest stays for the next read.
            int end = pos + (int) Math.min(Math.max(0, count - pos), Math.max(0, limit)); // no overflow for huge limits
            if (pos >= end) {
                return new byte[0];
            }
            JdkSockets.bisPos.set(bis, end);
            return Arrays.copyOfRange(buf, pos, end);
        }
    }
}
