package dev.l7splice.agent.transfer;

import dev.l7splice.agent.runtime.Counters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The user-space part of every transfer: bytes copied through the owners' own streams, as the
 * JDK's loop copies them (below {@code splice.min-bytes}, around a sink's commit, when no pipe or
 * dup can be had). Never asks the source for more than it is owed, so a bounded transfer leaves
 * the next message on a keep-alive connection unread. Stateless.
 */
final class UserCopy {

    private UserCopy() {
    }

    /**
     * Copies what {@code in} still gives up to its end of stream: normally nothing (the kernel read
     * the source to its end), so it first asks for one byte and allocates no buffer for an empty rest.
     */
    static long rest(InputStream in, OutputStream out, Counters counters) throws IOException {
        int b = in.read();
        if (b < 0) {
            return 0;
        }
        out.write(b);
        counters.bytesCopied.add(1);
        return 1 + copy(in, out, Long.MAX_VALUE, counters);
    }

    /** Copies up to {@code n} bytes in user space, never asking the source for more; stops at end of stream. */
    static long copy(InputStream rawIn, OutputStream out, long n, Counters counters) throws IOException {
        return copy(rawIn, out, n, counters, 8192);
    }

    /** Same, writing pieces of at most {@code piece} bytes (an owner may choose its framing from the sizes of the writes). */
    static long copy(InputStream rawIn, OutputStream out, long n, Counters counters, int piece) throws IOException {
        byte[] buf = new byte[(int) Math.min(piece, Math.max(n, 1))];
        long total = 0;
        while (total < n) {
            int r = rawIn.read(buf, 0, (int) Math.min(buf.length, n - total));
            if (r < 0) {
                break;
            }
            out.write(buf, 0, r);
            total += r;
            counters.bytesCopied.add(r);
        }
        return total;
    }
}
