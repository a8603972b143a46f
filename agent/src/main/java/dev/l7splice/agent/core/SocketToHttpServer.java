package dev.l7splice.agent.core;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import dev.l7splice.agent.bootstrap.TransferHook;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A socket stream (or exactly a BufferedInputStream over one) copied into a fixed-length
 * com.sun.net.httpserver response body: a proxy written on the JDK's HTTP server. Bytes held in
 * the buffer and the first {@code splice.min-bytes} go through the server's own stream (which
 * counts them); the rest is spliced straight into the connection's channel and then subtracted
 * from the server's remaining count. Never reads past what the response may carry; to end of
 * stream, it then checks for end of stream as the JDK's loop would and fails the same way
 * ("too many bytes to write to stream") when the source has more. Always on the calling thread.
 */
final class SocketToHttpServer {

    private SocketToHttpServer() {
    }

    static long run(SocketTransferHook hook, InputStream in, OutputStream out, HttpServerSink sink, long limit)
            throws IOException {
        InputStream rawIn = in.getClass() == BufferedInputStream.class ? JdkSockets.innerOf((BufferedInputStream) in) : in;
        if (rawIn == null || rawIn.getClass() != JdkSockets.socketIn) {
            return TransferHook.NOT_HANDLED;
        }
        long room = sink.room();
        boolean toEnd = limit == Long.MAX_VALUE;
        if (!toEnd && limit > room) {
            return hook.fallback("httpserver-length");
        }
        if (SocketTransferHook.isVirtualThread()) {
            return hook.fallback("virtual-thread");
        }
        Socket src = JdkSockets.socketOfInput(rawIn);
        int srcFd = JdkSockets.fdOf(src);
        if (src.isClosed() || !src.isConnected() || src.isInputShutdown() || srcFd < 0) {
            return hook.fallback(srcFd < 0 ? "socket-impl" : "socket-state");
        }
        long want = Math.min(limit, room);
        byte[] prefix = new byte[0];
        if (in != rawIn) {
            prefix = SocketTransferHook.takeBuffered((BufferedInputStream) in, want);
            if (prefix == null) {
                return hook.fallback("buffered-state");
            }
        }
        L7Dispatch.beforeSocketRead(src);
        Counters counters = hook.counters;
        out.write(prefix); // the server's stream counts these itself
        counters.bytesCopied.add(prefix.length);
        long done = prefix.length;
        long copyUpTo = Math.min(want, Math.max(hook.minBytes, done));
        done += BoundedTransfer.copy(rawIn, out, copyUpTo - done, counters);
        if (done < copyUpTo) {
            return done; // end of stream
        }
        if (done < want) {
            done += splice(hook, rawIn, src, srcFd, out, sink, want - done);
        }
        if (toEnd && done == room && in.read() >= 0) {
            throw new IOException("too many bytes to write to stream");
        }
        return done;
    }

    private static long splice(SocketTransferHook hook, InputStream rawIn, Socket src, int srcFd, OutputStream out,
                               HttpServerSink sink, long n) throws IOException {
        PipePool.Pipe pipe = hook.pipes.acquire();
        if (pipe == null) {
            hook.fallback("no-pipe");
            return BoundedTransfer.copy(rawIn, out, n, hook.counters);
        }
        int[] fds = hook.privateFds(srcFd, sink.fd);
        try {
            if (fds == null) {
                return BoundedTransfer.copy(rawIn, out, n, hook.counters);
            }
            sink.flushHead(); // the head (JDK 25 buffers it) and anything written so far go first
            hook.counters.offloaded.increment();
            long moved = SpliceLoop.run(src, fds[0], () -> !sink.channel.isOpen(), fds[1], pipe,
                    hook.counters.bytesSpliced, n);
            sink.sent(moved);
            return moved;
        } finally {
            if (fds != null) {
                SocketTransferHook.closeAll(fds);
            }
            hook.pipes.release(pipe);
        }
    }
}
