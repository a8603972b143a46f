package dev.l7splice.engine;

import dev.l7splice.kernel.nativeio.LinuxIo;
import dev.l7splice.kernel.nativeio.Readiness;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes whole frames to the sidecar's non-blocking control socket, one frame at a time, without
 * ever blocking a thread in the kernel: when the socket's buffer is full the sender waits in
 * {@link Readiness} (a virtual thread parks, its carrier stays free) and goes on with what is left,
 * the fds having ridden on the first byte. A socket that takes nothing for {@code stallMillis} of
 * this JVM's running time (pauses do not count) is reported as stalled; the caller drops it.
 * Thread contract: any thread; frames never interleave (one {@link ReentrantLock}, which parks a
 * virtual thread instead of pinning it), and {@link #close} never closes an fd a send still uses.
 */
public final class FrameSender {

    public static final int STALLED = -LinuxIo.ETIMEDOUT;
    private static final int SLICE_MILLIS = 250;

    private final ReentrantLock lock = new ReentrantLock();
    private final long stallMillis;

    public FrameSender(long stallMillis) {
        this.stallMillis = stallMillis;
    }

    /**
     * Sends all of {@code wire} on {@code c} with {@code fds} (may be null). Returns 0, -errno, or
     * {@link #STALLED}. A failure after part of a frame went means the connection is unusable.
     */
    public int send(int c, byte[] wire, int[] fds) {
        lock.lock();
        try {
            int off = 0;
            long counted = 0;
            long last = System.nanoTime();
            while (off < wire.length) {
                byte[] rest = off == 0 ? wire : Arrays.copyOfRange(wire, off, wire.length);
                int r = LinuxIo.sendWithFds(c, rest, rest.length, off == 0 ? fds : null);
                if (r > 0) {
                    off += r;
                    counted = 0;
                    continue;
                }
                if (r != -LinuxIo.EAGAIN) {
                    return r < 0 ? r : -LinuxIo.EPIPE;
                }
                try {
                    Readiness.poll(c, LinuxIo.POLLOUT, SLICE_MILLIS);
                } catch (IOException e) {
                    return -LinuxIo.EINTR; // an interrupted virtual thread: the frame is cut
                }
                long now = System.nanoTime();
                counted += Math.min(now - last, 4L * SLICE_MILLIS * 1_000_000L);
                last = now;
                if (counted >= stallMillis * 1_000_000L) {
                    return STALLED;
                }
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** Shuts down and closes {@code c} once no send is using it. */
    public void close(int c) {
        lock.lock();
        try {
            LinuxIo.shutdown(c, 2);
            LinuxIo.close(c);
        } finally {
            lock.unlock();
        }
    }
}
