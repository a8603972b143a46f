package dev.l7splice.relay.balancer;

import dev.l7splice.engine.RelayLoop;
import dev.l7splice.kernel.Errno;
import dev.l7splice.kernel.nativeio.LinuxIo;
import dev.l7splice.relay.balance.Server;
import dev.l7splice.relay.balance.Waiter;
import dev.l7splice.relay.proxy.ProxyProtocol;
import dev.l7splice.relay.runtime.Relay;
import dev.l7splice.relay.runtime.Relay.Ended;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a client connection to a server of a frontend's pool: pick (or wait in the pool's queue,
 * bounded by {@code maxqueue} and {@code timeout queue}), connect within {@code timeout connect},
 * on failure try another server ({@code retries}, always before any byte was sent; consecutive
 * failures take a server down), then hand both sockets to {@link SplicedConnection}. With no server
 * the client gets a clean close, or an HTTP 503 when it came through route hand-off. The connect is
 * non-blocking on a relay loop (EPOLLOUT finishes it, a loop timer bounds it) and the connection
 * then runs on that same loop: no thread hand-off but the one from the accepting thread. Only a
 * connection that waited in the queue continues on the small thread pool, off the pool's lock.
 */
public final class Connector {

    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
    private static final byte[] HTTP_503 = ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final Relay relay;
    final AtomicInteger open = new AtomicInteger();
    final AtomicLong refused = new AtomicLong();
    /** When a local shortage was last logged; loop threads (a lost update only logs twice). */
    private volatile long lastShortageLog = System.nanoTime() - 20_000_000_000L;
    private final ExecutorService threads = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "balancer-connect");
        t.setDaemon(true);
        return t;
    });

    Connector(Relay relay) {
        this.relay = relay;
    }

    /** Serves a client fd on a connector thread; the fd is ours from now on. */
    void serve(int client, Frontend f, String key, byte[] head, boolean http) {
        serve(client, f, key, head, http, Ended.NONE);
    }

    void serve(int client, Frontend f, String key, byte[] head, boolean http, Ended ended) {
        connect(new Pending(client, f, key, head, http, ended), 0); // never blocks: the connect runs on a loop
    }

    /** One client on its way to a server. */
    private record Pending(int client, Frontend f, String key, byte[] head, boolean http, Ended ended) {
    }

    private void connect(Pending c, int attempt) {
        Waiter w = c.f.pool.takeOrQueue(c.key, c.f.queueTimeoutMillis());
        Server now = w.server().isDone() && !w.server().isCompletedExceptionally() ? w.server().join() : null;
        if (now != null) {
            connectTo(c, now, attempt); // a server was free: no hand-off to another thread
            return;
        }
        w.server().whenCompleteAsync((s, e) -> {
            if (s == null) {
                refuse(c, e != null ? "queue timeout after " + w.queuedMillis() + " ms" : "no server");
            } else {
                connectTo(c, s, attempt);
            }
        }, threads);
    }

    /** Connects on a relay loop: non-blocking, finished by EPOLLOUT, bounded by timeout connect. */
    private void connectTo(Pending c, Server s, int attempt) {
        RelayLoop loop = relay.nextLoop();
        if (loop.inLoop()) {
            startConnect(loop, c, s, attempt); // accepted on this very loop: no wake-up
        } else {
            loop.execute(() -> startConnect(loop, c, s, attempt));
        }
    }

    /** The relay's loops, one per call in turn (listeners are spread over them so). */
    RelayLoop nextLoop() {
        return relay.nextLoop();
    }

    /** Loop thread. */
    private void startConnect(RelayLoop loop, Pending c, Server s, int attempt) {
        long t0 = System.nanoTime();
        int fd = LinuxIo.tcpConnectStart(s.host, s.port);
        if (fd < 0 && isLocalShortage(-fd)) {
            // Out of fds or memory here: not the server's fault, so it is not counted against it
            // (a burst past ulimit -n must not take every server down); this client is closed.
            s.pool().drop(s);
            long now = System.nanoTime();
            if (now - lastShortageLog > 10_000_000_000L) { // one line per 10 s, not one per client
                lastShortageLog = now;
                LOG.warn("{}: cannot open a socket to a server (errno {}); clients are closed until fds are free",
                        c.f.name(), -fd);
            }
            refuse(c, "cannot open a socket: errno " + -fd);
            return;
        }
        if (fd < 0) {
            connectFailed(c, s, attempt, -fd);
            return;
        }
        boolean[] settled = new boolean[1];
        boolean watching = loop.watch(fd, LinuxIo.EPOLLOUT, events -> {
            if (settled[0]) {
                return;
            }
            settled[0] = true;
            // Writable with no error or hang-up means connected: SO_ERROR is read only on failure.
            // On success the fd stays watched: the connection's transfers take that registration over.
            int err = (events & (LinuxIo.EPOLLERR | LinuxIo.EPOLLHUP)) != 0 ? LinuxIo.socketError(fd) : 0;
            if (err == 0 && (events & (LinuxIo.EPOLLERR | LinuxIo.EPOLLHUP)) != 0) {
                err = Errno.ECONNREFUSED; // a hang-up with no error kept
            }
            if (wasEstablished(err)) {
                // The server accepted, then reset or closed before this turn of the loop saw it:
                // the connect worked (the passive check must not count it); the connection ends
                // as the server ended it.
                connected(loop, c, s, fd, System.nanoTime() - t0);
            } else {
                loop.unwatch(fd);
                LinuxIo.close(fd);
                connectFailed(c, s, attempt, err);
            }
        });
        if (!watching) {
            LinuxIo.close(fd);
            connectFailed(c, s, attempt, LinuxIo.EAGAIN);
            return;
        }
        long timeout = c.f.timeouts().connect();
        if (timeout > 0) {
            loop.schedule(timeout, () -> {
                if (!settled[0]) {
                    settled[0] = true;
                    loop.unwatch(fd);
                    LinuxIo.close(fd);
                    connectFailed(c, s, attempt, Errno.ETIMEDOUT);
                }
            });
        }
    }

    /**
     * True when a connect's outcome says the connection was made: no error, or one only an
     * established connection can have (a reset or a broken pipe; a refused or unreachable connect
     * reports ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH or ENETUNREACH).
     */
    static boolean wasEstablished(int errno) {
        return errno == 0 || errno == Errno.ECONNRESET || errno == Errno.EPIPE;
    }

    /** This process or host is short of fds or memory: not a server's fault. */
    static boolean isLocalShortage(int errno) {
        return errno == Errno.EMFILE || errno == Errno.ENFILE || errno == Errno.ENOBUFS || errno == Errno.ENOMEM;
    }

    /** Loop thread: the slot goes back, failures in a row take the server down, another server is tried. */
    private void connectFailed(Pending c, Server s, int attempt, int errno) {
        Frontend f = c.f;
        s.stats.connectFailures.incrementAndGet();
        int streak = s.stats.failureStreak.incrementAndGet();
        s.pool().drop(s);
        if (streak >= f.passiveFall(s)) {
            s.pool().markDown(s, streak + " connect failures in a row (errno " + errno + ")");
        }
        if (attempt < f.section.retries()) {
            connect(c, attempt + 1);
        } else {
            refuse(c, "connect failed " + (attempt + 1) + " times");
        }
    }

    /** Loop thread: both directions start on this loop at once. */
    private void connected(RelayLoop loop, Pending c, Server s, int server, long nanos) {
        s.stats.failureStreak.set(0);
        s.stats.connected(nanos);
        byte[] prefix = c.head;
        int proxy = s.options().sendProxy();
        if (proxy != 0) {
            byte[] ph = ProxyProtocol.header(proxy, LinuxIo.peerAddress(c.client), LinuxIo.localAddress(c.client));
            prefix = concat(ph, c.head);
        }
        // A routed client's fd came from the application's process, which may still hold it.
        SplicedConnection.start(relay, loop, c.client, server, s, prefix, !c.http, c.f.idleTimeoutMillis(), open,
                c.ended);
    }

    private void refuse(Pending c, String why) {
        refused.incrementAndGet();
        LOG.debug("{}: closing a client: {}", c.f.name(), why);
        if (c.http) {
            writeNow(c.client, HTTP_503);
        }
        LinuxIo.shutdown(c.client, 2); // a clean close, nothing half-open
        LinuxIo.close(c.client);
        c.ended.ended(0, why);
    }

    /**
     * A few bytes to a non-blocking socket, as far as it takes them now: this runs on a relay loop,
     * which never waits for a peer. A routed client's send buffer is empty at this point (the
     * application handed it over right after its head), so the 80 bytes of a 503 always fit.
     */
    private static void writeNow(int fd, byte[] b) {
        int off = 0;
        while (off < b.length) {
            int w = LinuxIo.write(fd, b, off, b.length - off);
            if (w <= 0) {
                return;
            }
            off += w;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (b == null || b.length == 0) {
            return a;
        }
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    public void stop() {
        threads.shutdownNow();
    }
}
