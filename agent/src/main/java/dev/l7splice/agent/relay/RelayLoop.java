package dev.l7splice.agent.relay;

import static dev.l7splice.agent.core.nativeio.LinuxIo.EAGAIN;
import static dev.l7splice.agent.core.nativeio.LinuxIo.EPOLLERR;
import static dev.l7splice.agent.core.nativeio.LinuxIo.EPOLLHUP;
import static dev.l7splice.agent.core.nativeio.LinuxIo.EPOLLIN;
import static dev.l7splice.agent.core.nativeio.LinuxIo.EPOLLOUT;
import static dev.l7splice.agent.core.nativeio.LinuxIo.EPOLLRDHUP;
import static dev.l7splice.agent.core.nativeio.LinuxIo.EPOLL_CTL_ADD;
import static dev.l7splice.agent.core.nativeio.LinuxIo.EPOLL_CTL_DEL;
import static dev.l7splice.agent.core.nativeio.LinuxIo.SPLICE_F_MOVE;
import static dev.l7splice.agent.core.nativeio.LinuxIo.SPLICE_F_NONBLOCK;

import dev.l7splice.agent.core.Errno;
import dev.l7splice.agent.core.nativeio.LinuxIo;
import java.io.IOException;
import java.net.SocketException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * One event-loop thread that completes handed-off transfers with splice(2), level-triggered epoll
 * on the transfers' sockets (one registration per socket, see {@link Endpoints}). A transfer holds
 * a pipe only while bytes are in it; when none is spare it moves that chunk through a user-space
 * buffer instead (and asks for a pipe again next).
 * Thread contract: {@link #submit} and {@link #execute} may be called from any thread; everything
 * else runs on the loop thread.
 */
public final class RelayLoop implements Runnable {

    private final int epfd;
    private final int wakeFd;
    private final PipeSource pipes;
    private final long idleTimeoutNanos;
    private final LongConsumer splicedBytes;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Endpoints endpoints;
    /** Other fds watched on this loop (a connect in progress), with what runs when they are ready. */
    private final Map<Integer, java.util.function.IntConsumer> watchers = new HashMap<>();
    /** Tasks due at a time (connect timeouts), earliest first; loop thread only. */
    private final java.util.PriorityQueue<Timer> timers = new java.util.PriorityQueue<>();
    private final byte[] copyBuffer = new byte[64 * 1024];
    private final AtomicLong copiedBytes = new AtomicLong();
    private final int[] events = new int[512];
    private volatile boolean stopping;
    private final AtomicInteger active = new AtomicInteger();

    public RelayLoop(PipeSource pipes, long idleTimeoutMillis, LongConsumer splicedBytes) throws IOException {
        this.pipes = pipes;
        this.idleTimeoutNanos = idleTimeoutMillis * 1_000_000L;
        this.splicedBytes = splicedBytes;
        epfd = check(LinuxIo.epollCreate(), "epoll_create");
        wakeFd = check(LinuxIo.eventfd(), "eventfd");
        check(LinuxIo.epollCtl(epfd, EPOLL_CTL_ADD, wakeFd, EPOLLIN), "epoll_ctl");
        endpoints = new Endpoints(epfd);
    }

    /** Bytes moved through user space because no pipe was spare. */
    public long copiedBytes() {
        return copiedBytes.get();
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
        watchers.put(fd, ready);
        watchedEvents.put(fd, events);
        return true;
    }

    private final Map<Integer, Integer> watchedEvents = new HashMap<>();

    /** Loop thread only: stops watching {@code fd} (before the caller closes or hands it on). */
    public void unwatch(int fd) {
        if (watchers.remove(fd) != null) {
            watchedEvents.remove(fd);
            LinuxIo.epollCtl(epfd, EPOLL_CTL_DEL, fd, 0);
        }
    }

    /** Loop thread only: runs {@code task} on this loop after {@code millis}. */
    public void schedule(long millis, Runnable task) {
        timers.add(new Timer(System.nanoTime() + millis * 1_000_000L, task));
    }

    private int waitMillis() {
        if (timers.isEmpty()) {
            return 1000;
        }
        long ms = (timers.peek().dueNanos - System.nanoTime()) / 1_000_000L + 1;
        return (int) Math.max(0, Math.min(1000, ms));
    }

    private static final class Timer implements Comparable<Timer> {
        final long dueNanos;
        final Runnable task;

        Timer(long dueNanos, Runnable task) {
            this.dueNanos = dueNanos;
            this.task = task;
        }

        @Override
        public int compareTo(Timer o) {
            return Long.compare(dueNanos, o.dueNanos);
        }
    }

    /**
     * Loop thread only: starts both directions of a connection now (the caller is on this loop).
     * When they are the two directions of one connection over the same two fds ({@code second}
     * reads what {@code first} writes to and the other way round), each socket has one epoll
     * registration for both, and the fds are closed when both have ended.
     */
    public void startNow(RelayedTransfer first, RelayedTransfer second) {
        active.addAndGet(2);
        startBoth(first, second);
    }

    /** Both attached before either moves a byte: one that ends at once must not close the other's fds. */
    private void startBoth(RelayedTransfer first, RelayedTransfer second) {
        boolean a = attach(first);
        boolean b = attach(second);
        if (a) {
            pump(first);
        }
        if (b && !second.finished) {
            pump(second);
        }
    }

    /** Hands several transfers (the two directions of a connection) to the loop with one wake-up. */
    public void submit(RelayedTransfer first, RelayedTransfer second) {
        active.addAndGet(2);
        execute(() -> startBoth(first, second));
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
                pump(t);
            }
        });
    }

    public void stop() {
        stopping = true;
        LinuxIo.eventfdSignal(wakeFd);
    }

    /** True on this loop's own thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    private volatile Thread thread;

    @Override
    public void run() {
        thread = Thread.currentThread();
        long lastIdleCheck = System.nanoTime();
        while (!stopping) {
            int n = LinuxIo.epollWait(epfd, events, waitMillis());
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
                        java.util.function.IntConsumer w = watchers.get(fd);
                        if (w != null) {
                            w.accept(events[2 * i + 1]);
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
            for (long now = System.nanoTime(); !timers.isEmpty() && now - timers.peek().dueNanos >= 0; ) {
                try {
                    timers.poll().task.run();
                } catch (RuntimeException ex) {
                    unexpected(ex, null);
                }
            }
            long now = System.nanoTime();
            if (now - lastIdleCheck > 1_000_000_000L) {
                lastIdleCheck = now;
                expireIdle(now);
            }
            endpoints.apply(this::refused);
        }
        for (RelayedTransfer t : endpoints.transfers()) {
            fail(t, new SocketException("relay stopped"));
        }
        LinuxIo.close(wakeFd);
        LinuxIo.close(epfd);
    }

    private void start(RelayedTransfer t) {
        if (attach(t)) {
            pump(t);
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
        Integer events = watchedEvents.remove(fd);
        if (events == null) {
            return -1;
        }
        watchers.remove(fd);
        return events;
    }

    private void onEvent(Endpoints.Endpoint e, int ev) {
        boolean gone = (ev & (EPOLLERR | EPOLLHUP)) != 0;
        RelayedTransfer w = e.writer;
        if (w != null && w != e.reader) {
            if (gone) {
                // The destination is gone (reset, or shut down both ways): nothing more can be written.
                fail(w, new SocketException("Connection reset by peer"));
            } else if ((ev & EPOLLOUT) != 0) {
                pump(w);
            }
        }
        RelayedTransfer r = e.reader;
        if (r != null && (gone || r == w || (ev & (EPOLLIN | EPOLLRDHUP)) != 0)) {
            pump(r);
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
        dev.l7splice.agent.core.AgentLog.error("relay loop: unexpected " + ex + "; the loop goes on");
        if (e != null) {
            try {
                refused(e);
            } catch (RuntimeException again) {
                dev.l7splice.agent.core.AgentLog.error("relay loop: unexpected " + again + " while ending a transfer");
            }
        }
    }

    /** epoll refused a socket: the transfers on it end. */
    private void refused(Endpoints.Endpoint e) {
        for (RelayedTransfer t : new RelayedTransfer[] {e.reader, e.writer}) {
            if (t != null) {
                fail(t, new SocketException("relay could not watch the sockets"));
            }
        }
    }

    /** Moves as much as both sides allow right now, then says what to wait for. */
    private void pump(RelayedTransfer t) {
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
            if (t.srcEof || t.stopReading) {
                finish(t);
                return;
            }
            if (t.pipe == null && (t.pipe = pipes.acquire()) == null) {
                // No pipe spare (pipes.max, or the kernel's per-user pipe limit): move one chunk
                // through user space, as HAProxy does, and try for a pipe again on the next one.
                int r = LinuxIo.read(t.srcFd, copyBuffer, 0, copyBuffer.length);
                if (r > 0) {
                    t.prefix = Arrays.copyOf(copyBuffer, r);
                    t.prefixOff = 0;
                    t.activity.touch();
                    copiedBytes.addAndGet(r);
                    if (!writePrefix(t)) {
                        return;
                    }
                } else if (r == 0) {
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
            long n = LinuxIo.splice(t.srcFd, t.pipe.writeFd(), t.pipe.capacity(), SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (n > 0) {
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

    /** Writes what the application held in user space; false while the destination is full. */
    private boolean writePrefix(RelayedTransfer t) {
        while (t.prefixOff < t.prefix.length) {
            int w = LinuxIo.write(t.dstFd, t.prefix, t.prefixOff, t.prefix.length - t.prefixOff);
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

    private void expireIdle(long now) {
        for (RelayedTransfer t : endpoints.transfers()) {
            long limit = t.idleTimeoutNanos >= 0 ? t.idleTimeoutNanos : idleTimeoutNanos;
            if (!t.finished && limit > 0 && now - t.activity.lastNanos > limit) {
                fail(t, new SocketException("relay idle timeout"));
            }
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

    private void fail(RelayedTransfer t, IOException cause) {
        t.state = "failed";
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

    private static int check(int r, String what) throws IOException {
        if (r < 0) {
            throw new IOException(what + " failed: errno " + -r);
        }
        return r;
    }
}
