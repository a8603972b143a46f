package dev.l7splice.agent.transfer;

import dev.l7splice.agent.ends.SinkEnd;
import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.relay.InProcessRelay;
import dev.l7splice.agent.relay.Offload;
import dev.l7splice.agent.runtime.AgentLog;
import dev.l7splice.agent.runtime.JdkSockets;
import dev.l7splice.kernel.nativeio.Readiness;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The kernel part of a plain socket-to-socket transfer ({@link SinkKernel}: a relayable source into
 * a sink with a {@linkplain SinkEnd#socket socket}) on a virtual thread that may not wait in the
 * kernel (the JDK's poller is missing, switched off with {@code virtual-threads.poller=off}, or
 * failed): the in-process relay moves the body (started on first use, whatever the offload mode)
 * and the thread parks on a {@link CompletableFuture} (it unmounts, its carrier runs other virtual
 * threads) until the relay is done. It then returns what {@link SpliceLoop} would: the count, after
 * exactly {@code limit} bytes or at end of stream, or the same exceptions: the relay's
 * "Connection reset" / "Broken pipe", "Socket closed" when the application closes either socket
 * (checked every {@link SpliceLoop#POLL_SLICE_MILLIS} ms, as the loop does), and on an interrupt
 * the JDK's "Closed by interrupt" with the source closed. The relay cannot honour the source's
 * SO_TIMEOUT (it would have to know when the JDK's loop would be blocked in a read), so such a
 * transfer is copied the JDK's way (reason {@code relay-so-timeout}); a relay that cannot start
 * leaves the JDK's copy too ({@code virtual-thread}).
 *
 * <p>Everything written before (held bytes, the first {@code splice.min-bytes}) is in the
 * destination socket before the relay starts, so order holds; the relay works on its own dups.
 * Thread contract: called on the application's (virtual) thread; the future is completed on the
 * relay's loop thread. Stateless apart from the relay.
 */
public final class ParkedRelay {

    private final InProcessRelay relay;

    ParkedRelay(InProcessRelay relay) {
        this.relay = relay;
    }

    /** Moves at most {@code limit} bytes (Long.MAX_VALUE: to end of stream) and returns the count. */
    long transfer(SocketTransferHook hook, SourceEnd src, SinkEnd sink, long limit) throws IOException {
        AgentLog.debugOnce("virtual-threads.poller", "virtual threads do not park on the JDK's poller ("
                + Readiness.notUsedBecause() + "): their socket transfers go to the in-process relay");
        if (src.socket().getSoTimeout() > 0) {
            hook.fallback("relay-so-timeout");
            return UserCopy.copy(src.stream(), sink.owner(), limit, hook.counters);
        }
        int[] fds = hook.privateFds(src.fd(), sink.fd());
        if (fds == null) {
            return UserCopy.copy(src.stream(), sink.owner(), limit, hook.counters);
        }
        Outcome end = new Outcome();
        InProcessRelay.Running running;
        try {
            running = relay.relay(fds[0], fds[1], limit, end);
        } catch (Offload.Unavailable e) {
            SocketTransferHook.closeAll(fds);
            hook.fallback("virtual-thread");
            AgentLog.debugOnce("relay-for-virtual-threads", "virtual threads keep the JDK's copy: " + e.getMessage());
            return UserCopy.copy(src.stream(), sink.owner(), limit, hook.counters);
        }
        hook.counters.offloaded.increment();
        hook.counters.relayedForVirtualThreads.increment();
        return await(end, running, src.socket(), sink.socket());
    }

    /** How the relay ended it; completed on the loop thread. A class, not a lambda: nothing to link on a virtual thread. */
    static final class Outcome extends CompletableFuture<Long> implements InProcessRelay.Listener {
        @Override
        public void ended(long id, long bytes, IOException failure) {
            if (failure == null) {
                complete(bytes);
            } else {
                completeExceptionally(failure);
            }
        }
    }

    private static long await(CompletableFuture<Long> end, InProcessRelay.Running running, Socket src, Socket dst)
            throws IOException {
        for (;;) {
            try {
                return end.get(SpliceLoop.POLL_SLICE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (src.isClosed() || dst.isClosed()) {
                    running.abort(new SocketException("Socket closed")); // reported by the next get
                }
            } catch (ExecutionException e) {
                throw rethrown(e.getCause());
            } catch (InterruptedException e) {
                // As the JDK's socket stream on an interrupted virtual thread: the socket closed, the
                // status kept. The relay stops first, so nothing is written after this call ends.
                running.abort(new SocketException("Closed by interrupt"));
                try {
                    end.join(); // uninterruptible, and get() cleared the status: no spinning
                } catch (CompletionException | CancellationException ended) {
                    // ended as asked
                }
                SocketException closed = JdkSockets.closedByInterrupt(src);
                Thread.currentThread().interrupt();
                throw closed;
            }
        }
    }

    /** The relay's failure, as a fresh exception of the same type thrown from the application's stack. */
    static IOException rethrown(Throwable cause) {
        IOException out;
        if (cause.getClass() == SocketException.class) {
            out = new SocketException(cause.getMessage());
        } else if (cause.getClass() == IOException.class) {
            out = new IOException(cause.getMessage());
        } else if (cause instanceof IOException io) {
            return io;
        } else {
            out = new IOException(cause);
            return out;
        }
        out.initCause(cause);
        return out;
    }
}
