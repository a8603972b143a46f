package dev.l7splice.relay;

import dev.l7splice.agent.core.nativeio.LinuxIo;
import dev.l7splice.relay.config.RelayConfig.HostPort;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code bind} address: an accept loop on its own thread that gives each client to the
 * {@link Connector} with the frontend in force right now. A reload swaps the frontend (volatile)
 * and keeps the socket, so no connection is refused while it happens; {@link #close} stops
 * accepting (drain, or a bind removed by a reload) without touching established connections.
 */
final class Listener implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

    final HostPort bind;
    private final int fd;
    private final Connector connector;
    private volatile Frontend frontend;
    private volatile boolean closed;

    Listener(HostPort bind, Frontend frontend, Connector connector) throws IOException {
        fd = LinuxIo.tcpListen(bind.host(), bind.port());
        if (fd < 0) {
            throw new IOException("cannot listen on " + bind + ": errno " + -fd);
        }
        this.bind = bind;
        this.frontend = frontend;
        this.connector = connector;
        Thread t = new Thread(this, "accept-" + bind);
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return LinuxIo.localPort(fd);
    }

    void frontend(Frontend f) {
        frontend = f;
    }

    Frontend frontend() {
        return frontend;
    }

    @Override
    public void run() {
        while (!closed) {
            int client = LinuxIo.acceptNonBlocking(fd); // the listening fd blocks; the client does not
            if (client < 0) {
                if (!closed) {
                    LOG.warn("accept on {} failed: errno {}", bind, -client);
                    pause();
                }
                continue;
            }
            Frontend f = frontend;
            connector.serve(client, f, keyOf(client, f), null, false);
        }
        LinuxIo.close(fd);
    }

    /** The client's address for source/hash balancing; the others never look at it. */
    static String keyOf(int client, Frontend f) {
        String alg = f.section.balance();
        if (!alg.equals("source") && !alg.equals("hash")) {
            return "";
        }
        String peer = LinuxIo.peerAddress(client);
        return peer == null ? "" : peer.substring(0, peer.lastIndexOf(':'));
    }

    /** Stops accepting: shutting the listening socket down wakes the blocked accept(2). */
    void close() {
        closed = true;
        LinuxIo.shutdown(fd, 2);
    }

    private static void pause() {
        try {
            Thread.sleep(50); // EMFILE and the like: do not spin
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
