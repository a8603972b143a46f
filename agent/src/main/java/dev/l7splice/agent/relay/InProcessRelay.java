package dev.l7splice.agent.relay;

import dev.l7splice.engine.RelayLoop;
import dev.l7splice.engine.RelayedTransfer;
import dev.l7splice.kernel.PipeSource;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * {@code offload=inprocess}: relay loops inside the application's JVM, started lazily on the first
 * hand-off, as daemon threads. At JVM exit they get a short grace period to finish bodies in
 * flight, then stop. Thread-safe.
 */
public final class InProcessRelay implements Offload {

    /** Told, on a loop thread, how each relayed transfer ended. */
    public interface Listener {
        void ended(long id, long bytes, IOException failure);
    }

    private static final long EXIT_GRACE_MILLIS = 5000;

    private final PipeSource pipes;
    private final int threads;
    private final long idleTimeoutMillis;
    private final LongConsumer spliced;
    private final Handoffs handoffs;
    private final Listener listener;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger next = new AtomicInteger();
    private volatile RelayLoop[] loops;

    public InProcessRelay(PipeSource pipes, int threads, long idleTimeoutMillis, LongConsumer spliced,
                          Handoffs handoffs, Listener listener) {
        this.pipes = pipes;
        this.threads = threads;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.spliced = spliced;
        this.handoffs = handoffs;
        this.listener = listener;
    }

    /**
     * Takes over a transfer between two private fds (non-blocking dups, now owned by the relay).
     * When this returns, the application's later calls on either socket already wait for the
     * body. Returns the transfer's id.
     */
    @Override
    public long handOff(Socket src, int srcFd, Socket dst, int dstFd, byte[] prefix) throws IOException {
        RelayLoop[] ls;
        try {
            ls = loops();
        } catch (IOException e) {
            throw new Offload.Unavailable("in-process relay could not start: " + e.getMessage());
        }
        RelayLoop loop = ls[Math.floorMod(next.getAndIncrement(), ls.length)];
        long id = ids.incrementAndGet();
        RelayedTransfer t = new RelayedTransfer(id, srcFd, dstFd, new RelayedTransfer.Completion() {
            @Override
            public void done(RelayedTransfer tr, long bytes) {
                handoffs.end(src, dst, tr, false);
                listener.ended(tr.id(), bytes, null);
            }

            @Override
            public void failed(RelayedTransfer tr, IOException cause) {
                handoffs.end(src, dst, tr, true);
                listener.ended(tr.id(), tr.moved(), cause);
            }
        }).withPrefix(prefix).withFlags(RelayedTransfer.RESET_ON_FAILURE);
        handoffs.begin(src, dst, t);
        loop.submit(t);
        return id;
    }

    /**
     * For a caller that waits for the end itself (a virtual thread that may not wait in the kernel):
     * relays between two private fds, owned by the relay from now on, at most {@code limit} bytes from
     * the source. No idle timeout and no reset on failure (the caller gets the failure and acts on it,
     * as after the JDK's loop), and nothing recorded in {@link Handoffs}: the calling thread does
     * nothing else until the end. {@code onEnd} is told once, on the loop thread.
     */
    public Running relay(int srcFd, int dstFd, long limit, Listener onEnd) throws Offload.Unavailable {
        RelayLoop[] ls;
        try {
            ls = loops();
        } catch (IOException e) {
            throw new Offload.Unavailable("in-process relay could not start: " + e.getMessage());
        }
        RelayLoop loop = ls[Math.floorMod(next.getAndIncrement(), ls.length)];
        RelayedTransfer t = new RelayedTransfer(ids.incrementAndGet(), srcFd, dstFd, new RelayedTransfer.Completion() {
            @Override
            public void done(RelayedTransfer tr, long bytes) {
                onEnd.ended(tr.id(), bytes, null);
            }

            @Override
            public void failed(RelayedTransfer tr, IOException cause) {
                onEnd.ended(tr.id(), tr.moved(), cause);
            }
        }).withLimit(limit).withIdleTimeout(0);
        loop.submit(t);
        return new Running(loop, t);
    }

    /** A transfer started by {@link #relay}; any thread may abort it. */
    public static final class Running {
        private final RelayLoop loop;
        private final RelayedTransfer transfer;

        Running(RelayLoop loop, RelayedTransfer transfer) {
            this.loop = loop;
            this.transfer = transfer;
        }

        /** Ends it now as failed with {@code cause} (a no-op once it has ended); its listener is told. */
        public void abort(IOException cause) {
            loop.abort(transfer, cause);
        }
    }

    @Override
    public String name() {
        return "in-process relay";
    }

    /** Transfers in flight across all loops. */
    @Override
    public int active() {
        RelayLoop[] ls = loops;
        int n = 0;
        if (ls != null) {
            for (RelayLoop l : ls) {
                n += l.active();
            }
        }
        return n;
    }

    private RelayLoop[] loops() throws IOException {
        RelayLoop[] ls = loops;
        if (ls != null) {
            return ls;
        }
        synchronized (this) {
            if (loops == null) {
                RelayLoop[] created = new RelayLoop[threads];
                for (int i = 0; i < threads; i++) {
                    created[i] = new RelayLoop(pipes, idleTimeoutMillis, spliced);
                    Thread t = new Thread(created[i], "l7splice-relay-" + i);
                    t.setDaemon(true);
                    t.start();
                }
                Runtime.getRuntime().addShutdownHook(new Thread(this::drainAndStop, "l7splice-relay-exit"));
                loops = created;
            }
            return loops;
        }
    }

    private void drainAndStop() {
        long deadline = System.currentTimeMillis() + EXIT_GRACE_MILLIS;
        while (active() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                break;
            }
        }
        for (RelayLoop l : loops) {
            l.stop();
        }
    }
}
