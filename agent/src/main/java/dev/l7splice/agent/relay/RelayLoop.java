package dev.l7splice.agent.relay;

import static dev.l7splice.agent.core.nativeio.LinuxIo.EAGAIN;
import static dev.l7splice.agent.core.nativeio.LinuxIo.EPOLLERR;
import static dev.l7splice.agent.core.nativeio.LinuxIo.EPOLLHUP;
import static dev.l7splice.agent.core.nativeio.LinuxIo.EPOLLIN;
import static dev.l7splice.agent.core.nativeio.LinuxIo.EPOLLOUT;
import static dev.l7splice.agent.core.nativeio.LinuxIo.EPOLLRDHUP;
import static dev.l7splice.agent.core.nativeio.LinuxIo.EPOLL_CTL_ADD;
import static dev.l7splice.agent.core.nativeio.LinuxIo.EPOLL_CTL_DEL;
import static dev.l7splice.agent.core.nativeio.LinuxIo.EPOLL_CTL_MOD;
import static dev.l7splice.agent.core.nativeio.LinuxIo.SPLICE_F_MOVE;
import static dev.l7splice.agent.core.nativeio.LinuxIo.SPLICE_F_NONBLOCK;

import dev.l7splice.agent.core.Errno;
import dev.l7splice.agent.core.nativeio.LinuxIo;
import java.io.IOException;
import java.net.SocketException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * One event-loop thread that completes handed-off transfers with splice(2), level-triggered epoll
 * on private dups of the sockets. A transfer holds a pipe only while bytes are in it; when none is
 * spare it moves that chunk through a user-space buffer instead (and asks for a pipe again next).
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
    private final Map<Integer, RelayedTransfer> byFd = new HashMap<>();
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
     * that came, until {@link #unwatch}. The caller owns the fd.
     */
    public boolean watch(int fd, int events, java.util.function.IntConsumer ready) {
        if (LinuxIo.epollCtl(epfd, EPOLL_CTL_ADD, fd, events) < 0) {
            return false;
        }
        watchers.put(fd, ready);
        return true;
    }

    /** Loop thread only: stops watching {@code fd} (before the caller closes or hands it on). */
    public void unwatch(int fd) {
        if (watchers.remove(fd) != null) {
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

    /** Loop thread only: starts both directions of a connection now (the caller is on this loop). */
    public void startNow(RelayedTransfer first, RelayedTransfer second) {
        active.addAndGet(2);
        start(first);
        start(second);
    }

    /** Hands several transfers (the two directions of a connection) to the loop with one wake-up. */
    public void submit(RelayedTransfer first, RelayedTransfer second) {
        active.addAndGet(2);
        execute(() -> {
            start(first);
            start(second);
        });
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

    @Override
    public void run() {
        long lastIdleCheck = System.nanoTime();
        while (!stopping) {
            int n = LinuxIo.epollWait(epfd, events, waitMillis());
            for (int i = 0; i < n; i++) {
                int fd = events[2 * i];
                if (fd == wakeFd) {
                    LinuxIo.eventfdClear(wakeFd);
                    continue;
                }
                RelayedTransfer t = byFd.get(fd);
                if (t != null) {
                    onEvent(t, fd, events[2 * i + 1]);
                } else {
                    java.util.function.IntConsumer w = watchers.get(fd);
                    if (w != null) {
                        w.accept(events[2 * i + 1]);
                    }
                }
            }
            for (Runnable r; (r = tasks.poll()) != null; ) {
                r.run();
            }
            for (long now = System.nanoTime(); !timers.isEmpty() && now - timers.peek().dueNanos >= 0; ) {
                timers.poll().task.run();
            }
            long now = System.nanoTime();
            if (now - lastIdleCheck > 1_000_000_000L) {
                lastIdleCheck = now;
                expireIdle(now);
            }
        }
        for (RelayedTransfer t : byFd.values().toArray(new RelayedTransfer[0])) {
            fail(t, new SocketException("relay stopped"));
        }
        LinuxIo.close(wakeFd);
        LinuxIo.close(epfd);
    }

    private void start(RelayedTransfer t) {
        byFd.put(t.srcFd, t);
        byFd.put(t.dstFd, t);
        // Registered with epoll only once a side must be waited for (watch): a short transfer
        // that never meets EAGAIN costs no epoll_ctl at all.
        pump(t);
    }

    private void onEvent(RelayedTransfer t, int fd, int ev) {
        if (fd == t.dstFd && (ev & (EPOLLERR | EPOLLHUP)) != 0 && fd != t.srcFd) {
            // The destination is gone (reset, or shut down both ways): nothing more can be written.
            fail(t, new SocketException("Connection reset by peer"));
            return;
        }
        pump(t);
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

    private void watch(RelayedTransfer t, int srcEvents, int dstEvents) {
        // Both fds are registered once either must be waited for, so that a hang-up of the side
        // not waited for (EPOLLHUP/EPOLLERR come with any registration) still ends the transfer.
        if (t.srcEvents != srcEvents && !control(t, t.srcFd, t.srcEvents, srcEvents)) {
            return;
        }
        t.srcEvents = srcEvents;
        if (t.dstEvents != dstEvents && !control(t, t.dstFd, t.dstEvents, dstEvents)) {
            return;
        }
        t.dstEvents = dstEvents;
    }

    /** ADD on first use (was -1), MOD after; a failure ends the transfer. */
    private boolean control(RelayedTransfer t, int fd, int was, int events) {
        if (LinuxIo.epollCtl(epfd, was < 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, events) < 0) {
            fail(t, new SocketException("relay could not watch the sockets"));
            return false;
        }
        return true;
    }

    private void releasePipe(RelayedTransfer t) {
        if (t.pipe != null && t.inPipe == 0) {
            pipes.releaseEmpty(t.pipe);
            t.pipe = null;
        }
    }

    private void expireIdle(long now) {
        for (RelayedTransfer t : byFd.values().toArray(new RelayedTransfer[0])) {
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
        byFd.remove(t.srcFd);
        byFd.remove(t.dstFd);
        if (t.srcEvents >= 0) {
            LinuxIo.epollCtl(epfd, EPOLL_CTL_DEL, t.srcFd, 0);
        }
        if (t.dstEvents >= 0) {
            LinuxIo.epollCtl(epfd, EPOLL_CTL_DEL, t.dstFd, 0);
        }
        if (t.pipe != null) {
            pipes.release(t.pipe); // the pool closes it if bytes are left in it
            t.pipe = null;
        }
        LinuxIo.close(t.srcFd);
        LinuxIo.close(t.dstFd);
        return true;
    }

    private static int check(int r, String what) throws IOException {
        if (r < 0) {
            throw new IOException(what + " failed: errno " + -r);
        }
        return r;
    }
}
