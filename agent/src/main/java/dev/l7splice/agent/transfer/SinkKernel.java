package dev.l7splice.agent.transfer;

import static dev.l7splice.kernel.nativeio.LinuxIo.EAGAIN;

import dev.l7splice.agent.ends.Framing;
import dev.l7splice.agent.ends.SinkEnd;
import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.runtime.Counters;
import dev.l7splice.kernel.Errno;
import dev.l7splice.kernel.PipePool;
import dev.l7splice.kernel.nativeio.LinuxIo;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The kernel part of a {@link SinkTransfer}: at most {@code n} bytes from the source's fd into the
 * sink's, with sendfile(2) from a file or splice(2) through a pooled pipe from a socket, on private
 * dups (a concurrent close can never redirect us to a recycled fd number), with the sink's chunk
 * framing written around each piece. Whatever happens, the sink's counters get the bytes that went
 * out; a failure is raised the way the sink's owner raises it. When no pipe or dup can be had, the
 * bytes are copied through the owner's stream instead (the reason counted). A plain socket to a
 * plain socket on a virtual thread that may not wait in the kernel goes to {@link ParkedRelay}.
 */
final class SinkKernel {

    /**
     * The most one sendfile(2) call is asked for (nginx's sendfile_max_chunk default). A whole
     * 1 GiB file asked for at once to a slow reader cost the machine 1.31x-1.39x the CPU per GB
     * of the JDK's copy; in 2 MiB calls 0.56x, with the fast reader's figures unchanged
     * (bench/files, 512 MiB and 1 GiB files, 100 MiB/s and unpaced readers).
     */
    static final long SENDFILE_PIECE = 2L << 20;

    /** Largest chunk announced for a file (a chunk's size is written before its bytes). */
    private static final long FILE_CHUNK = 16L << 20;

    private SinkKernel() {
    }

    static long move(SocketTransferHook hook, SourceEnd src, SinkEnd sink, long n) throws IOException {
        if (hook.parked != null && RelayHandOff.plainSockets(src, sink) && SocketTransferHook.wouldPin()) {
            return hook.parked.transfer(hook, src, sink, n); // a virtual thread that may not wait in the kernel
        }
        Counters counters = hook.counters;
        PipePool.Pipe pipe = null;
        if (!src.isFile() && (pipe = hook.pipes.acquire()) == null) {
            hook.fallback("no-pipe");
            return UserCopy.copy(src.stream(), sink.owner(), n, counters);
        }
        int[] fds = hook.privateFds(src.fd(), sink.fd(), !src.isFile());
        if (fds == null) {
            if (pipe != null) {
                hook.pipes.release(pipe);
            }
            return UserCopy.copy(src.stream(), sink.owner(), n, counters);
        }
        long timeout = sink.writeTimeoutMillis();
        SpliceLoop.WritableWait wait = fd -> SpliceLoop.awaitWritable(sink::isClosed, fd, timeout);
        ChunkFramer framer = sink.framing() == Framing.CHUNKED ? new ChunkFramer(fds[1], wait, sink.chunkOpen()) : null;
        LongAdder moved = new LongAdder(); // body bytes that went out, from the kernel or from user space
        LongAdder copied = new LongAdder(); // of which from user space (read along with a source's framing)
        long m;
        boolean pipeEmpty = false;
        try {
            counters.offloaded.increment();
            m = src.isFile() ? sendfile(fds[0], wait, fds[1], n, framer, moved, sink)
                    : splice(src, sink, fds[0], wait, fds[1], pipe, n, framer, moved, copied);
            pipeEmpty = true; // SpliceLoop drains every piece before it returns normally
            if (framer != null) {
                framer.finish();
            }
        } catch (IOException e) {
            src.failed();
            throw sink.failed(e);
        } finally {
            long body = moved.sum();
            (src.isFile() ? counters.bytesFromFiles : counters.bytesSpliced).add(body - copied.sum());
            counters.bytesCopied.add(copied.sum());
            sink.moved(body, body + (framer == null ? 0 : framer.overhead()));
            SocketTransferHook.closeAll(fds);
            if (pipe != null) {
                if (pipeEmpty) {
                    hook.pipes.releaseEmpty(pipe); // no FIONREAD: a system call per transfer saved
                } else {
                    hook.pipes.release(pipe); // a failure may have left bytes in it: checked, or closed
                }
            }
        }
        if (src.isFile()) {
            src.moved(m);
        }
        if (sink.framing() == Framing.FIXED && sink.room() == 0) {
            sink.bodyComplete();
        }
        return m;
    }

    /**
     * At most {@code n} bytes from a socket source, span by span ({@link SourceEnd#span()}: a whole
     * body, or one chunk's data at a time); bytes the source read along with its framing go out
     * from user space, in order, as their own chunk into a chunked sink.
     */
    private static long splice(SourceEnd src, SinkEnd sink, int srcFd, SpliceLoop.WritableWait wait, int dstFd, PipePool.Pipe pipe,
                               long n, ChunkFramer framer, LongAdder moved, LongAdder copied) throws IOException {
        long total = 0;
        while (total < n) {
            long span = Math.min(src.span(), n - total);
            if (span <= 0) {
                break; // the source's framing ended the body
            }
            byte[] held = src.takeHeld(span);
            if (held != null && held.length > 0) {
                if (framer != null) {
                    framer.body(held);
                } else {
                    ChunkFramer.writeAll(dstFd, held, wait);
                }
                moved.add(held.length);
                copied.add(held.length);
                total += held.length;
                continue;
            }
            // The source's count moves as bytes leave it, before they reach the client (as the JDK's own
            // read would have counted them): a keep-alive connection is back in its pool before the
            // client sees the end of the body and asks again.
            long k = SpliceLoop.run(src.socket(), srcFd, wait, dstFd, pipe, moved, span, n2 -> {
                src.moved(n2);
                sink.progress();
                if (framer != null) {
                    framer.open(n2);
                }
            });
            total += k;
            if (k < span) {
                src.endOfStream();
                break;
            }
        }
        return total;
    }

    /** sendfile of at most {@code n} bytes; a chunked sink gets chunks of at most {@link #FILE_CHUNK}. */
    private static long sendfile(int inFd, SpliceLoop.WritableWait wait, int outFd, long n, ChunkFramer framer,
                                 LongAdder moved, SinkEnd sink)
            throws IOException {
        long total = 0;
        while (total < n) {
            long piece = framer == null ? n - total : Math.min(n - total, FILE_CHUNK);
            if (framer != null) {
                framer.open(piece);
            }
            long sent = 0;
            while (sent < piece) {
                long k = LinuxIo.sendfile(outFd, inFd, Math.min(piece - sent, SENDFILE_PIECE));
                if (k > 0) {
                    sent += k;
                    moved.add(k);
                    sink.progress();
                } else if (k == 0) {
                    if (framer != null) {
                        throw new IOException("file ended inside a chunk (truncated while being sent)");
                    }
                    return total + sent;
                } else if (k == -EAGAIN) {
                    wait.await(outFd);
                } else {
                    throw Errno.onSendfile((int) -k);
                }
            }
            total += sent;
        }
        return total;
    }
}
