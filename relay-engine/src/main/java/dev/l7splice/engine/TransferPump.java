package dev.l7splice.engine;

import static dev.l7splice.kernel.nativeio.LinuxIo.EAGAIN;
import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLLIN;
import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLLOUT;
import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLLRDHUP;
import static dev.l7splice.kernel.nativeio.LinuxIo.SPLICE_F_MOVE;
import static dev.l7splice.kernel.nativeio.LinuxIo.SPLICE_F_NONBLOCK;

import dev.l7splice.kernel.Errno;
import dev.l7splice.kernel.PipeSource;
import dev.l7splice.kernel.nativeio.LinuxIo;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * What a {@link RelayLoop} does for one transfer when its sockets are ready: source -> pipe ->
 * destination until a side would block (then it says what to wait for), the source's end of
 * stream (then the FIN is passed on and the transfer ends) or an error. Also how a transfer ends
 * and what it gives back: its pipe, its interest in its sockets, and the sockets themselves once
 * no other transfer uses them. Thread contract: the loop's thread only.
 */
final class TransferPump {

    private final PipeSource pipes;
    private final Endpoints endpoints;
    private final LongConsumer splicedBytes;
    private final AtomicInteger active;
    final AtomicLong copiedBytes = new AtomicLong();
    /**
     * Chunks for copying without a pipe (16 KiB, HAProxy's buffer size). Read straight into one; a
     * destination that takes it only in part keeps it until drained, then it is reused: thousands
     * of transfers to slow readers without a pipe made a new array per chunk each before, which
     * filled the heap with garbage and grew the relay's RSS past a gigabyte (bench/concurrency).
     */
    private final ChunkPool chunks = new ChunkPool(16 * 1024, 256);

    TransferPump(PipeSource pipes, Endpoints endpoints, LongConsumer splicedBytes, AtomicInteger active) {
        this.pipes = pipes;
        this.endpoints = endpoints;
        this.splicedBytes = splicedBytes;
        this.active = active;
    }

    /** Moves as much as both sides allow right now, then says what to wait for. */
    void pump(RelayedTransfer t) {
        if (t.prefix != null && !writePrefix(t)) {
            return;
        }
        t.state = "relaying";
        while (!t.finished) {
            if (t.inPipe > 0) {
                long m = LinuxIo.splice(t.pipe.readFd(), t.dstFd, t.inPipe, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
                if (m > 0) {
                    t.inPipe -= m;
                    t.moved += m;
                    t.activity.touch();
                    splicedBytes.accept(m);
                    continue;
                }
                if (m == -EAGAIN) {
                    // Backpressure: the destination's send buffer is full. Stop reading the
                    // source (its receive window fills and the sender slows) until it drains.
                    watch(t, 0, EPOLLOUT);
                    return;
                }
                fail(t, Errno.onWrite(m == 0 ? Errno.EPIPE : (int) -m));
                return;
            }
            releasePipe(t);
            if (t.srcEof || t.stopReading || t.taken >= t.limit) {
                finish(t);
                return;
            }
            if (t.pipe == null && (t.pipe = pipes.acquire()) == null) {
                // No pipe spare (pipes.max, or the kernel's per-user pipe limit): move one chunk
                // through user space, as HAProxy does, and try for a pipe again on the next one.
                byte[] chunk = chunks.acquire();
                int r = LinuxIo.read(t.srcFd, chunk, 0, (int) Math.min(chunk.length, t.limit - t.taken));
                if (r > 0) {
                    t.taken += r;
                    t.activity.touch();
                    copiedBytes.addAndGet(r);
                    t.prefix = chunk;
                    t.prefixOff = 0;
                    t.prefixEnd = r;
                    t.prefixPooled = true;
                    if (!writePrefix(t)) {
                        return;
                    }
                    continue;
                }
                chunks.release(chunk);
                if (r == 0) {
                    t.srcEof = true;
                } else if (r == -EAGAIN) {
                    watch(t, EPOLLIN | EPOLLRDHUP, 0);
                    return;
                } else {
                    fail(t, Errno.onRead(-r));
                    return;
                }
                continue;
            }
            long n = LinuxIo.splice(t.srcFd, t.pipe.writeFd(), Math.min(t.pipe.capacity(), t.limit - t.taken),
                    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (n > 0) {
                t.taken += n;
                t.inPipe = n;
                t.activity.touch();
            } else if (n == 0) {
                t.srcEof = true;
            } else if (n == -EAGAIN) {
                releasePipe(t); // empty: held only while bytes are in flight
                watch(t, EPOLLIN | EPOLLRDHUP, 0);
                return;
            } else {
                fail(t, Errno.onRead((int) -n));
                return;
            }
        }
    }

    /**
     * Writes what the application held in user space, or a chunk copied without a pipe; false
     * while the destination is full. A chunk goes back to the pool once written.
     */
    private boolean writePrefix(RelayedTransfer t) {
        while (t.prefixOff < t.prefixEnd) {
            int w = LinuxIo.write(t.dstFd, t.prefix, t.prefixOff, t.prefixEnd - t.prefixOff);
            if (w > 0) {
                t.prefixOff += w;
                t.moved += w;
                t.activity.touch();
            } else if (w == -EAGAIN) {
                watch(t, 0, EPOLLOUT);
                return false;
            } else {
                fail(t, Errno.onWrite(w == 0 ? Errno.EPIPE : -w));
                return false;
            }
        }
        if (t.prefixPooled) {
            chunks.release(t.prefix);
            t.prefixPooled = false;
        }
        t.prefix = null;
        return true;
    }

    /**
     * What {@code t} waits for now. Both of its sockets get registered (applied before the loop
     * waits), so that a hang-up of the side not waited for (EPOLLHUP/EPOLLERR come with any
     * registration) still ends the transfer.
     */
    private void watch(RelayedTransfer t, int srcEvents, int dstEvents) {
        t.srcWants = srcEvents;
        t.dstWants = dstEvents;
        endpoints.changed(t.src);
        endpoints.changed(t.dst);
    }

    private void releasePipe(RelayedTransfer t) {
        if (t.pipe != null && t.inPipe == 0) {
            pipes.releaseEmpty(t.pipe);
            t.pipe = null;
        }
    }

    private void finish(RelayedTransfer t) {
        if ((t.flags & RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF) != 0 && t.srcEof) {
            LinuxIo.shutdown(t.dstFd, 1); // the pipe is empty: every byte is ahead of the FIN
        }
        t.state = "done";
        if (close(t)) {
            t.completion.done(t, t.moved);
        }
    }

    void fail(RelayedTransfer t, IOException cause) {
        if (t.finished) {
            return;
        }
        t.state = "failed";
        if ((t.flags & RelayedTransfer.RESET_ON_FAILURE) != 0) {
            LinuxIo.reset(t.srcFd);
            LinuxIo.reset(t.dstFd);
        }
        if (close(t)) {
            t.completion.failed(t, cause);
        }
    }

    /** Unregisters and frees everything the transfer holds; false if it had ended already. */
    private boolean close(RelayedTransfer t) {
        if (t.finished) {
            return false;
        }
        t.finished = true;
        active.decrementAndGet();
        if (t.pipe != null) {
            pipes.release(t.pipe); // the pool closes it if bytes are left in it
            t.pipe = null;
        }
        t.srcWants = 0;
        t.dstWants = 0;
        boolean sole = (t.flags & RelayedTransfer.SOLE_OWNER) != 0;
        if (t.src.reader == t) {
            t.src.reader = null;
        }
        if (t.dst.writer == t) {
            t.dst.writer = null;
        }
        for (Endpoints.Endpoint e : t.src == t.dst ? List.of(t.src) : List.of(t.src, t.dst)) {
            if (e.reader == null && e.writer == null) {
                endpoints.release(e, sole);
            } else {
                endpoints.changed(e); // the other direction goes on; this one's interest is dropped
            }
        }
        return true;
    }
}
