package dev.l7splice.relay.balancer;

import dev.l7splice.engine.RelayLoop;
import dev.l7splice.kernel.Errno;
import dev.l7splice.kernel.nativeio.LinuxIo;
import dev.l7splice.relay.config.RelayConfig.HostPort;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code bind} address, accepted on a relay loop (its EPOLLIN): each client goes to the
 * {@link Connector} with the frontend in force right now, and with one loop its connect and its
 * transfers run on the same thread that accepted it, with no wake-up in between. A reload swaps
 * the frontend (volatile) and keeps the socket, so no connection is refused while it happens;
 * {@link #close} stops accepting (drain, or a bind removed by a reload) without touching
 * established connections. Thread contract: the constructor and {@link #close} from any thread;
 * accepting only on the loop.
 */
public final class Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
    /** Clients taken per wake-up, so that a flood of connects does not starve the transfers. */
    private static final int ACCEPTS_PER_TURN = 64;

    final HostPort bind;
    private final int fd;
    private final Connector connector;
    private final RelayLoop loop;
    private volatile Frontend frontend;
    private volatile boolean closed;
    /** When accepting first failed for want of fds or memory; 0 when it works (loop thread). */
    private long shortSince;

    Listener(HostPort bind, Frontend frontend, Connector connector) throws IOException {
        fd = LinuxIo.tcpListen(bind.host(), bind.port());
        if (fd < 0) {
            throw new IOException("cannot listen on " + bind + ": errno " + -fd);
        }
        LinuxIo.setNonBlocking(fd); // accept4 returns EAGAIN once the backlog is empty
        this.bind = bind;
        this.frontend = frontend;
        this.connector = connector;
        this.loop = connector.nextLoop();
        loop.execute(this::watch);
    }

    public int port() {
        return LinuxIo.localPort(fd);
    }

    void frontend(Frontend f) {
        frontend = f;
    }

    Frontend frontend() {
        return frontend;
    }

    /** Loop thread. */
    private void watch() {
        if (!closed && !loop.watch(fd, LinuxIo.EPOLLIN, events -> acceptSome())) {
            LOG.warn("cannot watch {} for clients; retrying", bind);
            loop.schedule(1000, this::watch);
        }
    }

    /** Loop thread: takes what the backlog holds, up to a turn's share (level-triggered: the rest comes next turn). */
    private void acceptSome() {
        for (int i = 0; i < ACCEPTS_PER_TURN && !closed; i++) {
            int client = LinuxIo.acceptNonBlocking(fd);
            if (client == -LinuxIo.EAGAIN) {
                return;
            }
            if (client < 0) {
                int err = -client;
                if (err == Errno.ECONNABORTED || err == Errno.EPROTO || err == Errno.EPERM) {
                    continue; // that client is gone (or a firewall refused it): take the next
                }
                // Out of fds or memory, or anything else: the backlog stays readable, so stop
                // watching for a while instead of spinning, and let the clients wait in the backlog.
                if (shortSince == 0) {
                    shortSince = System.nanoTime();
                    LOG.warn("accept on {} failed: errno {}; clients wait in the backlog, retrying every 100 ms",
                            bind, err);
                }
                loop.unwatch(fd);
                loop.schedule(100, this::watch);
                return;
            }
            if (shortSince != 0) {
                LOG.info("accepting on {} again after {} ms", bind, (System.nanoTime() - shortSince) / 1_000_000);
                shortSince = 0;
            }
            Frontend f = frontend;
            connector.serve(client, f, f.keyOf(client, null), null, false);
        }
    }

    /** Stops accepting; the socket is closed on the loop, after its last accept. */
    void close() {
        closed = true;
        loop.execute(() -> {
            loop.unwatch(fd);
            LinuxIo.close(fd);
        });
    }
}
