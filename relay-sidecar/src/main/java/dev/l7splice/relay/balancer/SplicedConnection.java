package dev.l7splice.relay.balancer;

import dev.l7splice.engine.RelayedTransfer;
import dev.l7splice.relay.balance.Server;
import dev.l7splice.relay.runtime.Relay;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One balanced connection once the server is connected: two transfers (client to server and back)
 * over the same two fds, so each socket has one epoll registration and the fds are closed when
 * both directions have ended, sharing one activity clock so the idle timeout fires only when
 * neither direction moved a byte. Each end's FIN is passed on once the
 * pipe carrying that direction is drained. When both directions have ended the server's slot is
 * dropped (which may hand it to a queued connection) and the open count goes down.
 */
final class SplicedConnection {

    private static final Logger LOG = LoggerFactory.getLogger(SplicedConnection.class);

    private SplicedConnection() {
    }

    /**
     * Loop thread of {@code loop}: both directions start there at once. Both sockets are
     * non-blocking already: the server's was created so, a listener's client was accepted so, and a
     * routed client's was set by the agent.
     *
     * @param head bytes the server must get before the client's (PROXY header, request head); may be null
     * @param soleOwner no other process has the client's fd (a listener accepted it, the agent did not send it)
     * @param open the runtime's count of open connections (for drain); incremented here
     */
    static void start(Relay relay, dev.l7splice.engine.RelayLoop loop, int client, int server, Server s,
                      byte[] head, boolean soleOwner, long idleTimeoutMillis, AtomicInteger open,
                      Relay.Ended whenEnded) {
        open.incrementAndGet();
        AtomicInteger directions = new AtomicInteger(2);
        java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> failure = new java.util.concurrent.atomic.AtomicReference<>();
        RelayedTransfer.Completion ended = new RelayedTransfer.Completion() {
            @Override
            public void done(RelayedTransfer t, long bytes) {
                finish(t, bytes);
            }

            @Override
            public void failed(RelayedTransfer t, IOException cause) {
                LOG.debug("{} transfer {} failed: {}", s, t.id(), cause.getMessage());
                failure.compareAndSet(null, cause.getMessage());
                finish(t, t.moved());
            }

            private void finish(RelayedTransfer t, long bytes) {
                (t.srcFd() == client ? s.stats.bytesToServer : s.stats.bytesToClient).addAndGet(bytes);
                total.addAndGet(bytes);
                if (directions.decrementAndGet() == 0) {
                    s.pool().drop(s);
                    open.decrementAndGet();
                    whenEnded.ended(total.get(), failure.get());
                }
            }
        };
        RelayedTransfer.Activity activity = new RelayedTransfer.Activity();
        int flags = RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF | (soleOwner ? RelayedTransfer.SOLE_OWNER : 0);
        RelayedTransfer up = new RelayedTransfer(relay.ids.incrementAndGet(), client, server, ended)
                .withPrefix(head) // the server reads it before any byte of the client's
                .withFlags(flags)
                .withActivity(activity)
                .withIdleTimeout(idleTimeoutMillis);
        RelayedTransfer down = new RelayedTransfer(relay.ids.incrementAndGet(), server, client, ended)
                .withFlags(flags)
                .withActivity(activity)
                .withIdleTimeout(idleTimeoutMillis);
        loop.startNow(up, down); // already on the loop that connected: no wake-up at all
    }
}
