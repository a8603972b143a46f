package dev.l7splice.agent.transfer;

import static dev.l7splice.kernel.nativeio.LinuxIo.EAGAIN;
import static dev.l7splice.kernel.nativeio.LinuxIo.POLLIN;
import static dev.l7splice.kernel.nativeio.LinuxIo.POLLOUT;
import static dev.l7splice.kernel.nativeio.LinuxIo.POLLRDHUP;
import static dev.l7splice.kernel.nativeio.LinuxIo.SPLICE_F_MOVE;
import static dev.l7splice.kernel.nativeio.LinuxIo.SPLICE_F_NONBLOCK;

import dev.l7splice.agent.runtime.JdkSockets;
import dev.l7splice.kernel.Errno;
import dev.l7splice.kernel.PipePool;
import dev.l7splice.kernel.nativeio.LinuxIo;
import dev.l7splice.kernel.nativeio.Readiness;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Moves bytes from one socket to another through a pipe until end of stream, on the calling
 * thread, the way the JDK's blocking copy loop would: it returns at the source's end of stream,
 * honours the source's SO_TIMEOUT, and fails with the same kind of SocketException.
 *
 * <p>It works on private duplicates of the two fds, so a concurrent {@code close()} by the
 * application can never make it read or write an fd number the kernel has since given to another
 * connection. Waits are cut into short polls; between two polls it checks whether the application
 * closed either socket, which is how a close from another thread ends the transfer (the JDK would
 * signal a thread blocked in its own read; it cannot signal one blocked in ours). On a virtual
 * thread every wait parks it on the JDK's poller ({@link Readiness}) and every kernel call is
 * non-blocking, so its carrier is never held.
 */
public final class SpliceLoop {

    /** Longest single wait before re-checking for a close by the application. */
    static final int POLL_SLICE_MILLIS = 250;

    private SpliceLoop() {
    }

    /** How a write side waits until its fd is writable (a close check, maybe a write timeout). */
    interface WritableWait {
        void await(int fd) throws IOException;
    }

    /** Told of each piece read into the pipe, before it goes out (a chunk's size line, the source's count). */
    interface PieceRead {
        void read(long n) throws IOException;
    }

    /**
     * Splices at most {@code limit} bytes (fewer only at end of stream) and returns the count. Never
     * asks the kernel for more than what is still owed, so no byte past the limit leaves the source
     * socket and the connection stays usable for what follows (the next request). Every piece read
     * into the pipe is drained into the destination before the next read, so the pipe is empty
     * whenever this returns normally. {@code dstWait} is the destination's own wait (its close
     * check, maybe a write timeout); {@code onRead} (may be null) is told of each piece before it
     * is drained.
     */
    static long run(Socket src, int srcFd, WritableWait dstWait, int dstFd, PipePool.Pipe pipe,
                    LongAdder spliced, long limit, PieceRead onRead) throws IOException {
        int soTimeout = src.getSoTimeout();
        long total = 0;
        while (total < limit) {
            long n = LinuxIo.splice(srcFd, pipe.writeFd, Math.min(pipe.capacity, limit - total),
                    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (n > 0) {
                if (onRead != null) {
                    onRead.read(n);
                }
                drain(pipe, n, dstWait, dstFd);
                total += n;
                spliced.add(n);
            } else if (n == 0) {
                return total;
            } else if (n == -EAGAIN) {
                awaitReadable(src, srcFd, soTimeout);
            } else {
                throw Errno.onRead((int) -n);
            }
        }
        return total;
    }

    /** Writes exactly {@code n} bytes from the pipe to the destination socket. */
    private static void drain(PipePool.Pipe pipe, long n, WritableWait dstWait, int dstFd)
            throws IOException {
        while (n > 0) {
            // Backpressure: when the peer reads slowly the socket's send buffer fills, the kernel
            // accepts less (or blocks, for a blocking socket), and we stop reading the source
            // until the pipe is empty again. The source's receive window closes by itself.
            long m = LinuxIo.splice(pipe.readFd, dstFd, n, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (m > 0) {
                n -= m;
            } else if (m == -EAGAIN) {
                dstWait.await(dstFd);
            } else {
                throw Errno.onWrite(m == 0 ? Errno.EPIPE : (int) -m);
            }
        }
    }

    private static void awaitReadable(Socket src, int fd, int soTimeout) throws IOException {
        long start = soTimeout > 0 ? System.nanoTime() : 0;
        for (;;) {
            int wait = POLL_SLICE_MILLIS;
            if (soTimeout > 0) {
                long left = soTimeout - (System.nanoTime() - start) / 1_000_000;
                if (left <= 0) {
                    throw new SocketTimeoutException("Read timed out");
                }
                wait = (int) Math.min(wait, left);
            }
            int r;
            try {
                r = Readiness.poll(fd, POLLIN | POLLRDHUP, wait);
            } catch (InterruptedIOException e) {
                throw JdkSockets.closedByInterrupt(src); // an interrupted virtual thread
            }
            if (r != 0) {
                return; // readable, end of stream or error: the next splice tells which
            }
            if (src.isClosed()) {
                throw new SocketException("Socket closed");
            }
        }
    }

    /**
     * Waits in poll slices until {@code fd} is writable ({@code closed} says whether the application
     * closed it), failing with "Write timed out" after {@code timeoutMillis} (0 or less: never) without the
     * fd becoming writable: a server's write timeout, which its own blocking writes honour.
     */
    static void awaitWritable(java.util.function.BooleanSupplier closed, int fd, long timeoutMillis) throws IOException {
        long start = timeoutMillis > 0 ? System.nanoTime() : 0;
        for (;;) {
            int wait = POLL_SLICE_MILLIS;
            if (timeoutMillis > 0) {
                long left = timeoutMillis - (System.nanoTime() - start) / 1_000_000;
                if (left <= 0) {
                    throw new SocketTimeoutException("Write timed out");
                }
                wait = (int) Math.min(wait, left);
            }
            if (Readiness.poll(fd, POLLOUT, wait) != 0) {
                return;
            }
            if (closed.getAsBoolean()) {
                throw new SocketException("Socket closed");
            }
        }
    }
}
