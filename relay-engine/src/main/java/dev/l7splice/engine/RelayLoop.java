package dev.l7splice.engine;

import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLLERR;
import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLLHUP;
import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLLIN;
import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLLOUT;
import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLLRDHUP;
import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLL_CTL_ADD;
import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLL_CTL_DEL;

import dev.l7splice.kernel.PipeSource;
import dev.l7splice.kernel.nativeio.LinuxIo;
import java.io.IOException;
import java.net.SocketException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * One event-loop thread that completes handed-off transfers with splice(2), level-triggered epoll
 * on the transfers' sockets (one registration per socket, see {@link Endpoints}). A transfer holds
 * a pipe only while bytes are in it; when none is spare it moves that chunk through a user-space
 * buffer instead (and asks for a pipe again next). This class waits and dispatches; moving the
 * bytes of a ready transfer is {@link TransferPump}'s, timed tasks are {@link LoopTimers}'.
 * Thread contract: {@link #submit} and {@link #execute} may be called from any thread; everything
 * else runs on the loop thread.
 */
public final class RelayLoop implements Runnable {

    /** A gap between idle checks this long means the process was not running. */
    private static final long PAUSE_NANOS = 3_000_000_000L;

    private final int epfd;
    private final int wakeFd;
    private final long idleTimeoutNanos;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Endpoints endpoints;
    /** Other fds watched on this loop (a connect in progress): their events, and what runs when they come. */
    private final Map<Integer, Watch> watchers = new HashMap<>();
    /** Applies epoll's refusal of a socket (one instance: no allocation per loop turn). */
    private final Endpoints.Refused onRefused = this::refused;
    private volatile Thread thread;
    private final LoopTimers timers = new LoopTimers();
    private final TransferPump transfers;
    private final int[] events = new int[512];
    private volatile boolean stopping;
    private final AtomicInteger active = new AtomicInteger();

    public RelayLoop(PipeSource pipes, long idleTimeoutMillis, LongConsumer splicedBytes) throws IOException {
        this.idleTimeoutNanos = idleTimeoutMillis * 1_000_000L;
        epfd = check(LinuxIo.epollCreate(), "epoll_create");
        wakeFd = check(LinuxIo.eventfd(), "eventfd");
        check(LinuxIo.epollCtl(epfd, EPOLL_CTL_ADD, wakeFd, EPOLLIN), "epoll_ctl");
        endpoints = new Endpoints(epfd);
        transfers = new TransferPump(pipes, endpoints, splicedBytes, active);
    }

    /** Bytes moved through user space because no pipe was spare. */
    public long copiedBytes() {
        return transfers.copiedBytes.get();
    }

    /** Transfers not yet finished, including ones still queued for the loop. */
    public int active() {
        return active.get();
    }

    /** Hands a transfer to the loop; from now on only the loop touches it. */
    public void submit(RelayedTransfer t) {
        active.incrementAndGet();
        execute(() -> start(t));
    }

    /**
     * Loop thread only: watches {@code fd} for {@code events} and runs {@code ready} with the events
     * that came, until {@link #unwatch} or until a transfer on this loop starts on {@code fd}, which
     * takes the registration over (no epoll_ctl to drop it and add it again). The caller owns the fd.
     */
    public boolean watch(int fd, int events, java.util.function.IntConsumer ready) {
        if (LinuxIo.epollCtl(epfd, EPOLL_CTL_ADD, fd, events) < 0) {
            return false;
        }
        watchers.put(fd, new Watch(events, ready));
        return true;
    }

    private record Watch(int events, java.util.function.IntConsumer ready) {
    }

    /** Loop thread only: stops watching {@code fd} (before the caller closes or hands it on). */
    public void unwatch(int fd) {
        if (watchers.remove(fd) != null) {
            LinuxIo.epollCtl(epfd, EPOLL_CTL_DEL, fd, 0);
        }
    }

    /** Loop thread only: runs {@code task} on this loop after {@code millis}. */
    public void schedule(long millis, Runnable task) {
        timers.schedule(millis, task);
    }

    /**
     * Loop thread only: starts both directions of a connection now (the caller is on this loop).
     * When they are the two directions of one connection over the same two fds ({@code second}
     * reads what {@code first} writes to and the other way round), each socket has one epoll
     * registration for both, and the fds are closed when both have ended.
     */
    public void startNow(RelayedTransfer first, RelayedTransfer second) {
        active.addAndGet(2);
        // Both attached before either moves a byte: one that ends at once must not close the other's fds.
        boolean a = attach(first);
        boolean b = attach(second);
        if (a) {
            transfers.pump(first);
        }
        if (b && !second.finished) {
            transfers.pump(second);
        }
    }

    /** Runs a task on the loop thread. */
    public void execute(Runnable task) {
        tasks.add(task);
        LinuxIo.eventfdSignal(wakeFd);
    }

    /** Asks the transfer to stop reading its source and finish once its pipe is drained. */
    public void stopReading(RelayedTransfer t) {
        execute(() -> {
            if (!t.finished) {
                t.stopReading = true;
                if (t.src != null) { // not yet started: it stops when it starts
                    transfers.pump(t);
                }
            }
        });
    }

    /** Ends the transfer now as failed (its sockets reset if it asked for that); any thread. */
    public void abort(RelayedTransfer t, IOException cause) {
        execute(() -> transfers.fail(t, cause)); // a no-op once it has ended
    }

    public void stop() {
        stopping = true;
        LinuxIo.eventfdSignal(wakeFd);
    }

    /** True on this loop's own thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long lastIdleCheck = System.nanoTime();
        while (!stopping) {
            int n = LinuxIo.epollWait(epfd, events, timers.waitMillis());
            for (int i = 0; i < n; i++) {
                int fd = events[2 * i];
                if (fd == wakeFd) {
                    LinuxIo.eventfdClear(wakeFd);
                    continue;
                }
                Endpoints.Endpoint e = endpoints.get(fd);
                try {
                    if (e != null) {
                        onEvent(e, events[2 * i + 1]);
                    } else {
                        Watch w = watchers.get(fd);
                        if (w != null) {
                            w.ready().accept(events[2 * i + 1]);
                        }
                    }
                } catch (RuntimeException ex) {
                    unexpected(ex, e);
                }
            }
            for (Runnable r; (r = tasks.poll()) != null; ) {
                try {
                    r.run();
                } catch (RuntimeException ex) {
                    unexpected(ex, null);
                }
            }
            for (Runnable due; (due = timers.nextDue(System.nanoTime())) != null; ) {
                try {
                    due.run();
                } catch (RuntimeException ex) {
                    unexpected(ex, null);
                }
            }
            long now = System.nanoTime();
            if (now - lastIdleCheck > 1_000_000_000L) {
                if (now - lastIdleCheck > PAUSE_NANOS) {
                    // The loop waits at most a second, so a longer gap means this process did not
                    // run (a stopped JVM, a long pause): no peer was idle then, no clock may count it.
                    forgive(now - lastIdleCheck - 1_000_000_000L);
                }
                lastIdleCheck = now;
                expireIdle(now);
            }
            endpoints.apply(onRefused);
        }
        for (RelayedTransfer t : endpoints.transfers()) {
            transfers.fail(t, new SocketException("relay stopped"));
        }
        LinuxIo.close(wakeFd);
        LinuxIo.close(epfd);
    }

    private void start(RelayedTransfer t) {
        if (attach(t)) {
            transfers.pump(t);
        }
    }

    /** Gives {@code t} its sockets' endpoints; false (and {@code t} refused) if one is taken in that direction. */
    private boolean attach(RelayedTransfer t) {
        Endpoints.Endpoint src = endpoints.attach(t.srcFd, takeOver(t.srcFd));
        Endpoints.Endpoint dst = endpoints.attach(t.dstFd, takeOver(t.dstFd));
        if (src.reader != null || dst.writer != null) {
            // A caller's mistake (one socket read or written by two transfers): refused, nothing closed.
            endpoints.forgetIfUnused(src);
            endpoints.forgetIfUnused(dst);
            t.finished = true;
            active.decrementAndGet();
            t.completion.failed(t, new IOException("a socket is already relayed in that direction"));
            return false;
        }
        t.src = src;
        t.dst = dst;
        src.reader = t;
        dst.writer = t;
        // Registered with epoll only once a side must be waited for (watch): a short transfer
        // that never meets EAGAIN costs no epoll_ctl at all.
        return true;
    }

    /** A watched fd's registration, now the transfer's; -1 if it was not watched. */
    private int takeOver(int fd) {
        Watch w = watchers.remove(fd);
        return w == null ? -1 : w.events();
    }

    private void onEvent(Endpoints.Endpoint e, int ev) {
        boolean gone = (ev & (EPOLLERR | EPOLLHUP)) != 0;
        RelayedTransfer w = e.writer;
        if (w != null && w != e.reader) {
            if (gone) {
                // The destination is gone (reset, or shut down both ways): nothing more can be written.
                transfers.fail(w, new SocketException("Connection reset by peer"));
            } else if ((ev & EPOLLOUT) != 0) {
                transfers.pump(w);
            }
        }
        RelayedTransfer r = e.reader;
        if (r != null && (gone || r == w || (ev & (EPOLLIN | EPOLLRDHUP)) != 0)) {
            transfers.pump(r);
            if (gone && !r.finished && r.srcWants == 0 && e.writer == null) {
                endpoints.quiet(e); // it waits for its destination; the hang-up is read when it comes back
            }
        }
    }

    /**
     * A bug in a handler or a completion (ours or the caller's) must not stop the loop, which
     * carries every other connection: it is reported, the transfers of the socket it came from end
     * (so their fds are closed), and the loop goes on.
     */
    private void unexpected(RuntimeException ex, Endpoints.Endpoint e) {
        EngineLog.error("relay loop: unexpected " + ex + "; the loop goes on");
        if (e != null) {
            try {
                refused(e);
            } catch (RuntimeException again) {
                EngineLog.error("relay loop: unexpected " + again + " while ending a transfer");
            }
        }
    }

    /** epoll refused a socket: the transfers on it end. */
    private void refused(Endpoints.Endpoint e) {
        for (RelayedTransfer t : new RelayedTransfer[] {e.reader, e.writer}) {
            if (t != null) {
                transfers.fail(t, new SocketException("relay could not watch the sockets"));
            }
        }
    }

    private void forgive(long pausedNanos) {
        java.util.Set<RelayedTransfer.Activity> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (RelayedTransfer t : endpoints.transfers()) {
            if (seen.add(t.activity)) {
                t.activity.lastNanos += pausedNanos;
            }
        }
    }

    private void expireIdle(long now) {
        for (RelayedTransfer t : endpoints.transfers()) {
            long limit = t.idleTimeoutNanos >= 0 ? t.idleTimeoutNanos : idleTimeoutNanos;
            if (!t.finished && limit > 0 && now - t.activity.lastNanos > limit) {
                transfers.fail(t, new SocketException("relay idle timeout"));
            }
        }
    }

    private static int check(int r, String what) throws IOException {
        if (r < 0) {
            throw new IOException(what + " failed: errno " + -r);
        }
        return r;
    }
}
