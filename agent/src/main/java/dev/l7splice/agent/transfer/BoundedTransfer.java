package dev.l7splice.agent.transfer;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import dev.l7splice.agent.runtime.Counters;
import dev.l7splice.kernel.PipePool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A socket-to-socket transfer of at most {@code limit} bytes on the calling thread (the bounded
 * entry used by {@code L7Splice.splice(in, out, n)}, Commons IO's and Spring's range copies).
 * Never reads a byte past the limit from the source, neither into user space nor into the pipe,
 * so a keep-alive connection can carry the next message afterwards. Same rules as the unbounded
 * inline path otherwise: held bytes first, the first {@code splice.min-bytes} copied, fds dup'ed.
 */
final class BoundedTransfer {

    private BoundedTransfer() {
    }

    static long run(SocketTransferHook hook, byte[] prefix, InputStream rawIn, Socket src, int srcFd,
                    OutputStream out, Socket dst, int dstFd, long limit) throws IOException {
        Counters counters = hook.counters;
        // Hand-off modes: a relay may still be reading this source or writing this destination.
        L7Dispatch.beforeSocketRead(src);
        L7Dispatch.beforeSocketWrite(dst);
        out.write(prefix);
        long done = prefix.length;
        counters.bytesCopied.add(prefix.length);
        long copyUpTo = Math.min(limit, Math.max(hook.minBytes, done));
        long copied = copy(rawIn, out, copyUpTo - done, counters);
        done += copied;
        if (done < copyUpTo) {
            return done; // end of stream while copying
        }
        // Whatever a BufferedOutputStream holds must reach the socket before the first spliced byte.
        out.flush();
        if (done >= limit) {
            return done;
        }
        if (hook.parked != null && SocketTransferHook.wouldPin()) {
            return done + hook.parked.transfer(hook, rawIn, src, srcFd, out, dst, dstFd, limit - done);
        }
        PipePool.Pipe pipe = hook.pipes.acquire();
        if (pipe == null) {
            hook.fallback("no-pipe");
            return done + copy(rawIn, out, limit - done, counters);
        }
        int[] fds = hook.privateFds(srcFd, dstFd);
        try {
            if (fds == null) {
                return done + copy(rawIn, out, limit - done, counters);
            }
            counters.offloaded.increment();
            return done + SpliceLoop.run(src, fds[0], dst, fds[1], pipe, counters.bytesSpliced, limit - done);
        } finally {
            if (fds != null) {
                SocketTransferHook.closeAll(fds);
            }
            hook.pipes.release(pipe);
        }
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
