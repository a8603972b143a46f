package dev.l7splice.relay;

import dev.l7splice.agent.core.nativeio.LinuxIo;
import dev.l7splice.relay.balance.ProxyProtocol;
import dev.l7splice.relay.balance.Server;
import dev.l7splice.relay.balance.Waiter;
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
 * the client gets a clean close, or an HTTP 503 when it came through route hand-off. Connects are
 * blocking calls on a small thread pool; nothing here runs on the relay loops.
 */
final class Connector {

    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
    private static final byte[] HTTP_503 = ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final Relay relay;
    final AtomicInteger open = new AtomicInteger();
    final AtomicLong refused = new AtomicLong();
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
        threads.execute(() -> connect(client, f, key, head, http, 0));
    }

    private void connect(int client, Frontend f, String key, byte[] head, boolean http, int attempt) {
        Waiter w = f.pool.takeOrQueue(key, f.queueTimeoutMillis());
        w.server().whenCompleteAsync((s, e) -> {
            if (s == null) {
                refuse(client, f, e != null ? "queue timeout after " + w.queuedMillis() + " ms" : "no server", http);
            } else {
                connectTo(client, f, s, key, head, http, attempt);
            }
        }, threads);
    }

    private void connectTo(int client, Frontend f, Server s, String key, byte[] head, boolean http, int attempt) {
        long t0 = System.nanoTime();
        int server = LinuxIo.tcpConnect(s.host, s.port, (int) Math.min(Integer.MAX_VALUE, f.timeouts().connect()));
        if (server < 0) {
            s.stats.connectFailures.incrementAndGet();
            int streak = s.stats.failureStreak.incrementAndGet();
            s.pool().drop(s);
            if (streak >= f.passiveFall(s)) {
                s.pool().markDown(s, streak + " connect failures in a row (errno " + -server + ")");
            }
            if (attempt < f.section.retries()) {
                connect(client, f, key, head, http, attempt + 1);
            } else {
                refuse(client, f, "connect failed " + (attempt + 1) + " times", http);
            }
            return;
        }
        s.stats.failureStreak.set(0);
        s.stats.connected(System.nanoTime() - t0);
        byte[] prefix = head;
        int proxy = s.options().sendProxy();
        if (proxy != 0) {
            byte[] ph = ProxyProtocol.header(proxy, LinuxIo.peerAddress(client), LinuxIo.localAddress(client));
            prefix = concat(ph, head);
        }
        SplicedConnection.start(relay, client, server, s, prefix, f.idleTimeoutMillis(), open);
    }

    private void refuse(int client, Frontend f, String why, boolean http) {
        refused.incrementAndGet();
        LOG.debug("{}: closing a client: {}", f.name(), why);
        if (http) {
            LinuxIo.write(client, HTTP_503, 0, HTTP_503.length);
        }
        LinuxIo.shutdown(client, 2); // a clean close, nothing half-open
        LinuxIo.close(client);
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

    void stop() {
        threads.shutdownNow();
    }
}
