package dev.l7splice.relay;

import dev.l7splice.agent.core.nativeio.LinuxIo;
import dev.l7splice.agent.relay.RelayedTransfer;
import dev.l7splice.relay.balance.Pool;
import dev.l7splice.relay.balance.ProxyProtocol;
import dev.l7splice.relay.balance.Server;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone splicing TCP balancer ({@code --listen}): accepts clients, picks a server from
 * the pool, connects (another server on a connect failure, before any byte was sent; consecutive
 * connect failures take a server down), then relays both directions with splice(2). Each end's
 * FIN is passed on once the pipe carrying that direction is drained. When no server is
 * available the client is closed cleanly. Connects run on a small pool; relaying on the loops.
 */
final class TcpBalancer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpBalancer.class);

    private final int listenFd;
    private final Pool pool;
    private final Relay relay;
    private final int connectTimeoutMillis;
    private final int retries;
    private final int passiveFall;
    private final int proxyProtocol;
    private final ExecutorService connectors = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "balancer-connect");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger[] connectFailures;

    /** @param proxyProtocol 0 none, 1 or 2: the PROXY protocol version sent to servers */
    TcpBalancer(String host, int port, Pool pool, Relay relay, int connectTimeoutMillis, int retries, int passiveFall,
                int proxyProtocol) throws IOException {
        listenFd = LinuxIo.tcpListen(host, port);
        if (listenFd < 0) {
            throw new IOException("cannot listen on " + host + ":" + port + ": errno " + -listenFd);
        }
        this.pool = pool;
        this.relay = relay;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.retries = retries;
        this.passiveFall = passiveFall;
        this.proxyProtocol = proxyProtocol;
        connectFailures = new AtomicInteger[pool.servers().size()];
        for (int i = 0; i < connectFailures.length; i++) {
            connectFailures[i] = new AtomicInteger();
        }
    }

    int port() {
        return LinuxIo.localPort(listenFd);
    }

    @Override
    public void run() {
        for (;;) {
            int client = LinuxIo.accept(listenFd);
            if (client < 0) {
                LOG.warn("accept failed: errno {}", -client);
                continue;
            }
            connectors.execute(() -> serve(client));
        }
    }

    private void serve(int client) {
        String peer = LinuxIo.peerAddress(client);
        String key = peer == null ? "" : peer.substring(0, peer.lastIndexOf(':'));
        for (int attempt = 0; attempt <= retries; attempt++) {
            Server s = pool.take(key);
            if (s == null) {
                break;
            }
            int server = LinuxIo.tcpConnect(s.host, s.port, connectTimeoutMillis);
            int index = pool.servers().indexOf(s);
            if (server < 0) {
                pool.drop(s);
                if (connectFailures[index].incrementAndGet() >= passiveFall) {
                    pool.markDown(s, connectFailures[index].get() + " connect failures in a row");
                }
                continue;
            }
            connectFailures[index].set(0);
            relay(client, server, s);
            return;
        }
        LinuxIo.shutdown(client, 2); // no server: a clean close, nothing half-open
        LinuxIo.close(client);
    }

    /** Two transfers, each with its own dups, so each can close its fds when it ends. */
    private void relay(int client, int server, Server s) {
        int client2 = LinuxIo.dup(client);
        int server2 = LinuxIo.dup(server);
        if (client2 < 0 || server2 < 0 || LinuxIo.setNonBlocking(client) < 0) {
            for (int fd : new int[] {client, server, client2, server2}) {
                LinuxIo.close(fd);
            }
            pool.drop(s);
            return;
        }
        AtomicInteger open = new AtomicInteger(2);
        RelayedTransfer.Completion ended = new RelayedTransfer.Completion() {
            @Override
            public void done(RelayedTransfer t, long bytes) {
                finish();
            }

            @Override
            public void failed(RelayedTransfer t, IOException cause) {
                LOG.debug("{} <-> {} direction failed: {}", s, t.id(), cause.getMessage());
                finish();
            }

            private void finish() {
                if (open.decrementAndGet() == 0) {
                    pool.drop(s);
                }
            }
        };
        long id = relay.ids.incrementAndGet();
        byte[] proxyHeader = proxyProtocol == 0 ? null
                : ProxyProtocol.header(proxyProtocol, LinuxIo.peerAddress(client), LinuxIo.localAddress(client));
        RelayedTransfer up = new RelayedTransfer(id, client, server, ended)
                .withPrefix(proxyHeader) // the server reads it before any byte of the client's
                .withFlags(RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF);
        RelayedTransfer down = new RelayedTransfer(relay.ids.incrementAndGet(), server2, client2, ended)
                .withFlags(RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF);
        relay.nextLoop().submit(up);
        relay.nextLoop().submit(down);
    }
}
