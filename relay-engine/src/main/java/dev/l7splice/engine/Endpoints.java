package dev.l7splice.engine;

import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLL_CTL_ADD;
import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLL_CTL_DEL;
import static dev.l7splice.kernel.nativeio.LinuxIo.EPOLL_CTL_MOD;

import dev.l7splice.kernel.nativeio.LinuxIo;
import java.util.ArrayList;
import java.util.List;

/**
 * The sockets a {@link RelayLoop} relays, one {@link Endpoint} per fd. The two directions of one
 * connection share both sockets: one epoll registration per socket serves the transfer that reads
 * it and the one that writes it, and the fd is closed when the last of them ends. Interest changes
 * are only noted while a loop turn runs and applied once, just before the loop waits again, so a
 * socket whose interest changed several times in one turn costs at most one epoll_ctl.
 * Thread contract: loop thread only.
 */
final class Endpoints {

    /** One socket: who reads it, who writes it, and what epoll has for it. */
    static final class Endpoint {
        final int fd;
        /** Events registered with epoll; -1: not registered. */
        int registered = -1;
        RelayedTransfer reader;
        RelayedTransfer writer;
        boolean dirty;
        boolean closed;
        /** The peer hung up or the socket failed: no registration unless a transfer asks for events. */
        boolean hungUp;

        Endpoint(int fd) {
            this.fd = fd;
        }

        int wanted() {
            return (reader != null ? reader.srcWants : 0) | (writer != null ? writer.dstWants : 0);
        }
    }

    /** What to do with the transfers on a socket epoll refused. */
    interface Refused {
        void refused(Endpoint e);
    }

    private final int epfd;
    /** Indexed by fd (small, dense numbers): no boxing or hashing on the path of every event. */
    private Endpoint[] byFd = new Endpoint[256];
    private final List<Endpoint> dirty = new ArrayList<>();

    Endpoints(int epfd) {
        this.epfd = epfd;
    }

    Endpoint get(int fd) {
        return fd >= 0 && fd < byFd.length ? byFd[fd] : null;
    }

    /** The endpoint of {@code fd}, made on first use; {@code registered} is what epoll already has (-1: nothing). */
    Endpoint attach(int fd, int registered) {
        Endpoint e = get(fd);
        if (e == null) {
            e = new Endpoint(fd);
            e.registered = registered;
            if (fd >= byFd.length) {
                byFd = java.util.Arrays.copyOf(byFd, Math.max(fd + 1, 2 * byFd.length));
            }
            byFd[fd] = e;
            if (registered >= 0) {
                changed(e); // a registration taken over: bring it to what the transfers want
            }
        }
        return e;
    }

    /** Interest of {@code e} may have changed: applied by {@link #apply}. */
    void changed(Endpoint e) {
        if (!e.dirty && !e.closed) {
            e.dirty = true;
            dirty.add(e);
        }
    }

    /**
     * Before the loop waits: one epoll_ctl per socket whose interest changed. A socket is registered
     * once either of its transfers waits for anything (even for no event: a hang-up of the side not
     * waited for then still ends the transfer), except after it hung up.
     */
    void apply(Refused refused) {
        for (int i = 0; i < dirty.size(); i++) { // refused() may add more
            Endpoint e = dirty.get(i);
            e.dirty = false;
            if (e.closed) {
                continue;
            }
            int want = e.wanted();
            int r;
            if (e.registered < 0) {
                if (e.hungUp && want == 0) {
                    continue;
                }
                r = LinuxIo.epollCtl(epfd, EPOLL_CTL_ADD, e.fd, want);
            } else if (e.registered != want) {
                r = LinuxIo.epollCtl(epfd, EPOLL_CTL_MOD, e.fd, want);
            } else {
                continue;
            }
            if (r < 0) {
                refused.refused(e);
            } else {
                e.registered = want;
            }
        }
        dirty.clear();
    }

    /**
     * The peer of {@code e} hung up while no transfer waits for its events: level-triggered
     * EPOLLHUP would come back on every turn, so the socket leaves epoll until a transfer asks again.
     */
    void quiet(Endpoint e) {
        e.hungUp = true;
        if (e.registered >= 0 && e.wanted() == 0) {
            LinuxIo.epollCtl(epfd, EPOLL_CTL_DEL, e.fd, 0);
            e.registered = -1;
        }
    }

    /**
     * The last transfer on {@code e} ended: the fd is closed. When this process holds the only
     * reference to the socket ({@code soleOwner}) the close also takes it out of epoll; otherwise
     * (an fd another process still has open) it is taken out first.
     */
    void release(Endpoint e, boolean soleOwner) {
        byFd[e.fd] = null;
        e.closed = true;
        if (e.registered >= 0 && !soleOwner) {
            LinuxIo.epollCtl(epfd, EPOLL_CTL_DEL, e.fd, 0);
        }
        LinuxIo.close(e.fd);
    }

    /** Drops an endpoint no transfer took (its fd is not ours to close). */
    void forgetIfUnused(Endpoint e) {
        if (e.reader == null && e.writer == null && e.registered < 0 && byFd[e.fd] == e) {
            byFd[e.fd] = null;
            e.closed = true;
        }
    }

    /** Every transfer still relaying (each is the reader of its source). */
    List<RelayedTransfer> transfers() {
        List<RelayedTransfer> all = new ArrayList<>();
        for (Endpoint e : byFd) {
            if (e != null && e.reader != null) {
                all.add(e.reader);
            }
        }
        return all;
    }
}
