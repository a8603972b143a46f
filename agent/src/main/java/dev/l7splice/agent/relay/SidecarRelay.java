package dev.l7splice.agent.relay;

import dev.l7splice.engine.Frame;
import dev.l7splice.engine.FrameDecoder;
import dev.l7splice.engine.FrameSender;
import dev.l7splice.kernel.nativeio.LinuxIo;
import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code offload=sidecar}: hands transfers to a relay process over a Unix socket, the fds riding
 * on the HANDOFF frame (SCM_RIGHTS). The call returns once the relay answered ACCEPTED; only then
 * does the agent let go. One control connection per JVM, its answers read by one daemon thread.
 * When the sidecar is missing, refuses, or its socket is not there, {@link #handOff} throws and
 * the caller completes the transfer itself; reconnection is retried with a backoff (100 ms
 * doubling to 1 s). When the sidecar dies, its accepted transfers end as failed copies (both
 * sockets closed) and new ones fall back at once. Thread-safe.
 */
public final class SidecarRelay implements Offload {

    /** An id whose frames are awaited: the ACCEPTED/REFUSED answer, then DONE/FAILED. */
    private static final class Pending {
        final Socket src;
        final Socket dst;
        final CompletableFuture<Frame> answer = new CompletableFuture<>();

        Pending(Socket src, Socket dst) {
            this.src = src;
            this.dst = dst;
        }
    }

    private static final long ANSWER_TIMEOUT_MILLIS = 10_000;
    private static final long SLICE_MILLIS = 250;

    private final String path;
    private final Handoffs handoffs;
    private final InProcessRelay.Listener listener;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    /** Guards connecting and dropping the connection: a lock, not a monitor, so a virtual thread parks. */
    private final ReentrantLock connectLock = new ReentrantLock();
    private final FrameSender sender = new FrameSender(ANSWER_TIMEOUT_MILLIS);
    private volatile int fd = -1;
    private long nextAttemptNanos;
    private long backoffMillis = 100;
    private final RouteTable routes = new RouteTable();
    private volatile boolean stopped;

    public SidecarRelay(String path, Handoffs handoffs, InProcessRelay.Listener listener) {
        this.path = path;
        this.handoffs = handoffs;
        this.listener = listener;
    }

    /** The transparent routes the sidecar declared (empty while it is away). */
    public RouteTable routes() {
        return routes;
    }

    /**
     * Connects now, in the background, retrying with the backoff until the sidecar is there, so
     * that its routes are known before the application's first connect; again after a loss.
     */
    public void connectInBackground() {
        Thread t = new Thread(() -> {
            while (!stopped && fd < 0) {
                try {
                    connection();
                    return;
                } catch (IOException e) {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }, "l7splice-sidecar-connect");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public long handOff(Socket src, int srcFd, Socket dst, int dstFd, byte[] prefix) throws IOException {
        int c = connection();
        long id = ids.incrementAndGet();
        Pending p = new Pending(src, dst);
        pending.put(id, p);
        handoffs.begin(src, dst, p);
        return await(c, id, p, Frame.handoff(id, 0, prefix).encode(), new int[] {srcFd, dstFd});
    }

    /**
     * Route hand-off: the relay takes the whole client connection (a private dup, non-blocking),
     * picks a server of {@code pool}, writes {@code head} to it and splices both directions. The
     * application's close of {@code client} is deferred until the relay is done with it.
     */
    public long route(Socket client, int clientFd, String pool, byte[] head) throws IOException {
        int c = connection();
        long id = ids.incrementAndGet();
        Pending p = new Pending(client, client);
        pending.put(id, p);
        handoffs.begin(client, client, p);
        return await(c, id, p, Frame.route(id, pool, head).encode(), new int[] {clientFd});
    }

    /** Sends the frame with its fds and waits for ACCEPTED; the fds are closed once the relay has its own. */
    private long await(int c, long id, Pending p, byte[] wire, int[] fds) throws IOException {
        int r = sender.send(c, wire, fds);
        if (r < 0) {
            // The relay cannot have started it: a frame it did not read whole is never run.
            undo(id, p);
            lost(c, r == FrameSender.STALLED ? "the sidecar took no bytes for " + ANSWER_TIMEOUT_MILLIS + " ms"
                    : "send failed: errno " + -r);
            throw new Offload.Unavailable("sidecar at " + path + " unreachable");
        }
        Frame answer;
        try {
            answer = awaitAnswer(c, p);
        } catch (ExecutionException e) {
            // The connection ended with no answer in it: the relay never started this transfer.
            undo(id, p);
            throw new Offload.Unavailable("sidecar at " + path + " went away");
        } catch (TimeoutException | InterruptedException e) {
            // Unknown whether the relay started: never fall back (the body could go out twice).
            // Drop the connection and fail this transfer as a broken copy.
            lost(c, "no answer within " + ANSWER_TIMEOUT_MILLIS + " ms");
            if (pending.remove(id) != null) {
                handoffs.reset(p.src, p.dst);
                handoffs.end(p.src, p.dst, p, true);
            }
            for (int fd : fds) {
                LinuxIo.close(fd);
            }
            throw new java.net.SocketException("sidecar did not answer a hand-off");
        }
        if (answer.type == Frame.REFUSED) {
            undo(id, p);
            throw new Offload.Unavailable("sidecar refused: " + answer.reason);
        }
        for (int fd : fds) {
            LinuxIo.close(fd); // the relay has its own copies now
        }
        return id;
    }

    /**
     * The sidecar's answer. Only time in which the answer could have been read counts towards the
     * timeout: a slice much longer than asked for means this JVM was stopped (SIGSTOP, a long
     * pause), and bytes still unread on the control socket mean the answer may be among them.
     */
    private static Frame awaitAnswer(int c, Pending p)
            throws ExecutionException, TimeoutException, InterruptedException {
        long counted = 0;
        long last = System.nanoTime();
        for (;;) {
            try {
                return p.answer.get(SLICE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long now = System.nanoTime();
                counted += Math.min(now - last, 4 * SLICE_MILLIS * 1_000_000L);
                last = now;
                if (counted >= ANSWER_TIMEOUT_MILLIS * 1_000_000L && LinuxIo.readable(c) <= 0) {
                    throw e;
                }
            }
        }
    }

    private void undo(long id, Pending p) {
        pending.remove(id);
        handoffs.end(p.src, p.dst, p, false);
    }

    /** The control connection, connecting if due; throws while the sidecar is away. */
    private int connection() throws IOException {
        int c = fd;
        if (c >= 0) {
            return c;
        }
        connectLock.lock();
        try {
            if (fd >= 0) {
                return fd;
            }
            long now = System.nanoTime();
            if (now < nextAttemptNanos) {
                throw new Offload.Unavailable("sidecar at " + path + " unavailable (retrying)");
            }
            int r = LinuxIo.unixConnect(path);
            if (r < 0) {
                nextAttemptNanos = now + backoffMillis * 1_000_000L;
                backoffMillis = Math.min(backoffMillis * 2, 1000);
                throw new Offload.Unavailable("sidecar at " + path + " unavailable: errno " + -r);
            }
            if (LinuxIo.setNonBlocking(r) < 0) {
                LinuxIo.close(r);
                throw new Offload.Unavailable("sidecar at " + path + ": could not make the control socket non-blocking");
            }
            backoffMillis = 100;
            fd = r;
            Thread reader = new Thread(() -> read(r), "l7splice-sidecar-client");
            reader.setDaemon(true);
            reader.start();
            send(r, Frame.of(Frame.ROUTES_QUERY, 0, 0, null));
            return r;
        } finally {
            connectLock.unlock();
        }
    }

    private void read(int c) {
        byte[] buf = new byte[65536];
        String why = "closed by the sidecar";
        try (FrameDecoder decoder = new FrameDecoder(false)) {
            for (;;) {
                int n = LinuxIo.recvWithFds(c, buf, 0, buf.length, null);
                if (n == -LinuxIo.EAGAIN) {
                    LinuxIo.poll(c, LinuxIo.POLLIN, 1000); // the socket is non-blocking for the senders' sake
                    if (fd != c) {
                        break;
                    }
                    continue;
                }
                if (n <= 0) {
                    why = n == 0 ? "closed by the sidecar" : "errno " + -n;
                    break;
                }
                decoder.feed(buf, 0, n, null);
                for (Frame f; (f = decoder.next()) != null; ) {
                    dispatch(f);
                }
            }
        } catch (FrameDecoder.ProtocolException e) {
            why = e.getMessage();
        }
        lost(c, why);
    }

    private void dispatch(Frame f) {
        if (f.type == Frame.ROUTES) {
            routes.update(f.reason);
            if (routes.size() > 0) {
                dev.l7splice.agent.runtime.AgentLog.info("sidecar routes: " + f.reason.strip().replace('\n', ' '));
            }
            return;
        }
        Pending p = pending.get(f.id);
        if (p == null) {
            return;
        }
        if (f.type == Frame.ACCEPTED || f.type == Frame.REFUSED) {
            p.answer.complete(f);
        } else if (f.type == Frame.DONE || f.type == Frame.FAILED) {
            pending.remove(f.id);
            p.answer.complete(f); // DONE can only follow ACCEPTED, but never leave a waiter behind
            handoffs.end(p.src, p.dst, p, f.type == Frame.FAILED);
            listener.ended(f.id, f.bytes, f.type == Frame.FAILED ? new IOException(f.reason) : null);
        }
    }

    /** The connection is gone: unanswered hand-offs fall back, accepted ones fail. */
    private void lost(int c, String why) {
        connectLock.lock();
        try {
            if (fd != c) {
                return;
            }
            fd = -1;
            sender.close(c);
        } finally {
            connectLock.unlock();
        }
        int failed = 0;
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (p.answer.completeExceptionally(new IOException(why))) {
                continue; // its handOff call falls back and cleans up
            }
            if (pending.remove(e.getKey(), p)) {
                failed++;
                handoffs.reset(p.src, p.dst); // whether the sidecar finished it is unknown
                handoffs.end(p.src, p.dst, p, true);
                listener.ended(e.getKey(), -1, new IOException("sidecar connection lost: " + why));
            }
        }
        boolean hadRoutes = routes.size() > 0;
        routes.clear(); // connects go where the application said until the sidecar is back
        dev.l7splice.agent.runtime.AgentLog.warn("sidecar connection lost (" + why + "); " + failed
                + " relayed transfer(s) reset; new transfers run inline until it is back"
                + (hadRoutes ? "; routed connects go to their own addresses meanwhile" : ""));
        if (hadRoutes) {
            connectInBackground();
        }
    }

    private void send(int c, Frame f) {
        if (fd == c) {
            sender.send(c, f.encode(), null);
        }
    }

    @Override
    public int active() {
        return pending.size();
    }

    @Override
    public String name() {
        return "sidecar at " + path;
    }
}
