package dev.l7splice.relay.netty;

import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLL_CTL_ADD;
import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLL_CTL_DEL;
import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLL_CTL_MOD;

import dev.l7splice.engine.LoopDriver;
import dev.l7splice.engine.RelayLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link LoopDriver} on Netty's EpollIoHandler (one single-thread IoEventLoop per relay loop):
 * each fd the relay loop registers becomes an {@link EpollIoHandle} on Netty's epoll, level-triggered
 * (no EPOLLET), its events go to {@link RelayLoop#ready}; timers are Netty's scheduled tasks. The
 * bytes still move through our splice. An experiment for issue 11's A/B ({@code --loop netty}).
 * Thread contract: as {@link LoopDriver}'s; the loop thread is Netty's event-loop thread.
 */
public final class NettyLoopDriver implements LoopDriver {

    private static final int EBADF = 9;
    private static final int EEXIST = 17;
    private static final int ENOENT = 2;
    private static final int EIO = 5;

    private final MultiThreadIoEventLoopGroup group;
    private final IoEventLoop eventLoop;
    /** The Netty registration of every fd the relay loop registered. Loop thread only. */
    private final Map<Integer, Handle> handles = new HashMap<>();
    /** An end-of-turn task is queued on Netty's loop (so a burst of events or wakeups queues one). */
    private final AtomicBoolean turnQueued = new AtomicBoolean();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile RelayLoop loop;
    private final Runnable endOfTurn = this::endOfTurn;

    public NettyLoopDriver(String name) {
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name, true), EpollIoHandler.newFactory());
        eventLoop = group.next();
    }

    /** Whether Netty's native epoll loaded here; null when it did, else why not. */
    public static String unavailableReason() {
        try {
            io.netty.channel.epoll.Epoll.ensureAvailability();
            return null;
        } catch (Throwable t) {
            return "Netty's native epoll is not available: " + t;
        }
    }

    @Override
    public int control(int op, int fd, int events) {
        Handle h = handles.get(fd);
        try {
            if (op == EPOLL_CTL_ADD) {
                if (h != null) {
                    return -EEXIST;
                }
                h = new Handle(fd);
                Future<IoRegistration> f = eventLoop.register(h);
                if (!f.isDone() || !f.isSuccess()) { // on the loop thread it completes at once
                    return -EIO;
                }
                h.registration = f.getNow();
                handles.put(fd, h);
                return submit(h, events);
            }
            if (h == null) {
                return -ENOENT;
            }
            if (op == EPOLL_CTL_MOD) {
                return submit(h, events);
            }
            if (op == EPOLL_CTL_DEL) {
                handles.remove(fd);
                h.registration.cancel(); // epoll_ctl(DEL): the fd is still open
                return 0;
            }
            return -EIO;
        } catch (RuntimeException e) {
            return -EIO;
        }
    }

    /**
     * Netty's registration takes no events ({@code EpollIoOps.NONE}) as "not in epoll": no ADD while
     * new, a DEL once added, after which a MOD fails with ENOENT. The relay loop registers some
     * sockets for no event on purpose (a hang-up still ends the transfer), so no events are
     * submitted as EPOLLERR alone: epoll reports EPOLLERR and EPOLLHUP whatever the mask, so the
     * kernel's registration is the same as for an empty mask.
     */
    private int submit(Handle h, int events) {
        try {
            h.registration.submit(events == 0 ? EpollIoOps.EPOLLERR : EpollIoOps.valueOf(events));
            return 0;
        } catch (RuntimeException e) {
            handles.remove(h.fd.intValue());
            h.closed = true; // nothing to DEL: the ADD failed, or the fd is gone
            h.registration.cancel();
            return -EBADF;
        }
    }

    @Override
    public void closed(int fd) {
        Handle h = handles.remove(fd);
        if (h != null) {
            h.closed = true; // the close took it out of epoll: Netty's cancel makes no epoll_ctl then
            h.registration.cancel();
        }
    }

    @Override
    public void wakeup() {
        if (!turnQueued.getAndSet(true)) {
            eventLoop.execute(endOfTurn);
        }
    }

    @Override
    public void schedule(long millis, Runnable task) {
        eventLoop.schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean inLoop() {
        return eventLoop.inEventLoop();
    }

    @Override
    public void run(RelayLoop relayLoop) {
        this.loop = relayLoop;
        // The relay loop's once-a-second work (idle timeouts) runs even when no event comes.
        eventLoop.scheduleAtFixedRate(this::wakeup, 1, 1, TimeUnit.SECONDS);
        wakeup(); // tasks queued before the loop ran
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        eventLoop.execute(() -> {
            try {
                if (loop != null) {
                    loop.shutdown();
                }
            } finally {
                for (Handle h : handles.values()) {
                    h.registration.cancel();
                }
                handles.clear();
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                ended.countDown();
            }
        });
    }

    private void endOfTurn() {
        turnQueued.set(false);
        RelayLoop l = loop;
        if (l != null && !l.stopping()) {
            l.endOfTurn();
        }
    }

    /** One fd on Netty's epoll: its events go to the relay loop, then one end of turn is queued. */
    private final class Handle implements EpollIoHandle {
        final Fd fd;
        IoRegistration registration;
        boolean closed;

        Handle(int fd) {
            this.fd = new Fd(fd);
        }

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            RelayLoop l = loop;
            if (l == null) {
                return;
            }
            l.ready(fd.intValue(), ((EpollIoEvent) event).ops().value());
            wakeup(); // on Netty's loop: runs after this turn's events, before its next epoll_wait
        }

        @Override
        public void close() {
        }

        /** The fd is the relay loop's: Netty never closes it, and asks whether it is open before a DEL. */
        private final class Fd extends FileDescriptor {
            Fd(int fd) {
                super(fd);
            }

            @Override
            public boolean isOpen() {
                return !closed;
            }

            @Override
            public void close() {
            }
        }
    }
}
