package dev.l7splice.agent.transfer;

import dev.l7splice.agent.ends.SinkEnd;
import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.bootstrap.L7Dispatch;
import dev.l7splice.agent.bootstrap.TransferHook;
import dev.l7splice.agent.runtime.Counters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One body from a resolved source end into a resolved sink end (a server's response stream, or a
 * plain socket's), on the calling thread, in this order: the sink is prepared (a relay that still
 * owes a socket bytes is waited for), the source's held bytes go out, then what must go through the
 * owner's own stream (the sink's {@code ownerFirst}, and from a socket the first {@code
 * splice.min-bytes}), then the owner flushes and the kernel moves the rest ({@link SinkKernel}),
 * and both owners' counters are brought up to date. Never moves more than the sink's declared
 * length: a source known to be longer keeps the JDK's code ({@code <sink>-length}, the owner then
 * fails as it always did); a socket copied to its end has its next bytes passed to the owner's
 * stream, which rejects them its own way. A body of known length below {@code sink.min-bytes} is
 * not taken at all by a sink that {@linkplain SinkEnd#keepsShortBodies keeps short bodies}.
 *
 * <p>In the hand-off modes a plain socket's body to its end into a plain socket is given to the
 * relay once the first bytes are out ({@link RelayHandOff}); the call then returns what was
 * written here, and the relay completes the rest. Knows no library: the ends do. One instance per
 * transfer, on the calling thread.
 */
final class SinkTransfer {

    /**
     * The size of the writes of the JDK's own {@code InputStream.transferTo} (8 KiB up to Java 20, 16 KiB
     * from 21): a transferTo's user-space part writes the same pieces, since an owner may decide its
     * framing from them (Jetty aggregates writes up to 8 KiB and commits at once on a larger one).
     */
    private static final int TRANSFER_TO_PIECE = Runtime.version().feature() >= 21 ? 16384 : 8192;

    private final SocketTransferHook hook;
    private final SourceEnd src;
    private final SinkEnd sink;
    /** True once a relay owns the body: nothing here may read the source or write the sink again. */
    private boolean handedOff;

    private SinkTransfer(SocketTransferHook hook, SourceEnd src, SinkEnd sink) {
        this.hook = hook;
        this.src = src;
        this.sink = sink;
    }

    /** {@code in} is the stream the application passed (its next bytes after a full declared length go to the owner). */
    static long run(SocketTransferHook hook, InputStream in, SourceEnd src, SinkEnd sink, long limit) throws IOException {
        return new SinkTransfer(hook, src, sink).run(in, limit, false);
    }

    /**
     * Same for a {@code transferTo} (to end of stream), which in the hand-off modes may give the
     * body to the relay. A bounded call never does, whatever its limit: it promises the application
     * the connection back, in its state, when it returns.
     */
    static long toEnd(SocketTransferHook hook, InputStream in, SourceEnd src, SinkEnd sink) throws IOException {
        return new SinkTransfer(hook, src, sink).run(in, Long.MAX_VALUE, true);
    }

    private long run(InputStream in, long limit, boolean mayRelay) throws IOException {
        boolean toEnd = limit == Long.MAX_VALUE;
        long room = sink.room();
        long want = Math.min(limit, src.bound());
        if (want != Long.MAX_VALUE && want > room) {
            return hook.fallback(sink.name() + "-length");
        }
        want = Math.min(want, room);
        if (sink.keepsShortBodies() && leftToApplication(hook, want)) {
            return TransferHook.NOT_HANDLED; // nothing has been touched yet: resolving the ends has no effect
        }
        byte[] held = src.takeHeld(want);
        if (held == null) {
            return hook.fallback("buffered-state");
        }
        Counters counters = hook.counters;
        OutputStream out = sink.owner();
        long done;
        try {
            sink.prepare();
            if (src.socket() != null) {
                L7Dispatch.beforeSocketRead(src.socket()); // hand-off modes: a relay may still read this socket
            }
            boolean relay = mayRelay && hook.relay != null && RelayHandOff.plainSockets(src, sink);
            done = body(want, held, toEnd ? TRANSFER_TO_PIECE : 8192, relay);
            if (handedOff) {
                return done;
            }
            if (toEnd && done == want && want == room && room != Long.MAX_VALUE) {
                // The declared length is reached; whatever the source still has goes to the owner, which rejects it.
                done += UserCopy.rest(src.remainder(in), out, counters);
            }
        } finally {
            if (!handedOff) {
                src.finish();
            }
        }
        if (toEnd && !src.relayable()) {
            // Normally nothing: end of stream. A library's stream reads its own end here (a chunked
            // body's last chunk and trailers), a file may have grown. A plain socket was read to its
            // end of stream by the engine, and TCP's end stays: asking again is a system call for -1.
            done += UserCopy.rest(in, out, counters);
        }
        return done;
    }

    /**
     * The {@code sink.min-bytes} rule, in one place: a body into a server's stream known to be
     * shorter (file or socket) is left to the application's own copy. There the kernel path's fixed
     * cost (dups, a pipe, the owner's commit and counters) is more than it saves: 64 KiB bodies
     * through Tomcat, Jetty and Spring were 0.78x-0.99x the MB/s of the container's own copy
     * (bench/servers). {@code knownLength}: Long.MAX_VALUE when not known.
     */
    static boolean leftToApplication(SocketTransferHook hook, long knownLength) {
        return knownLength < hook.sinkMinBytes;
    }

    /**
     * Up to {@code want} bytes: the held ones and the owner's first bytes through its stream, then the
     * kernel, or with {@code relay} the relay. Held bytes of at least {@code splice.min-bytes} are
     * then given to the relay to write, so the application's thread does not wait for them.
     */
    private long body(long want, byte[] held, int piece, boolean relay) throws IOException {
        Counters counters = hook.counters;
        OutputStream out = sink.owner();
        byte[] pending = relay && held.length > 0 && held.length >= hook.minBytes ? held : new byte[0];
        long done = 0;
        if (pending.length == 0) {
            out.write(held); // the owner frames and counts these itself
            counters.bytesCopied.add(held.length);
            done = held.length;
            long first = Math.min(want, Math.max(done, Math.max(sink.ownerFirst(), src.isFile() ? 0 : hook.minBytes)));
            done += UserCopy.copy(src.stream(), out, first - done, counters, piece);
            if (done < first || done >= want) {
                return done; // end of stream while copying, or all of it copied
            }
        }
        String refusal = sink.flushOwner();
        if (refusal == null && relay && RelayHandOff.tryHandOff(hook, src, sink, pending)) {
            handedOff = true;
            counters.bytesCopied.add(pending.length);
            return done + pending.length;
        }
        if (pending.length > 0) { // the relay did not take them: written here after all
            out.write(pending);
            out.flush();
            counters.bytesCopied.add(pending.length);
            done = pending.length;
        }
        if (refusal != null) {
            hook.fallback(refusal); // decided by the owner at commit (a compression filter): its code copies the rest
            return done + UserCopy.copy(src.stream(), out, want - done, counters, piece);
        }
        return done + SinkKernel.move(hook, src, sink, want - done);
    }
}
