package dev.l7splice.relay;

import dev.l7splice.agent.core.nativeio.LinuxIo;
import dev.l7splice.agent.relay.Frame;
import dev.l7splice.agent.relay.FrameDecoder;
import dev.l7splice.agent.relay.RelayLoop;
import dev.l7splice.agent.relay.RelayedTransfer;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's control connection: reads HANDOFF and STOP_READING frames (with their fds) on its
 * own thread, answers ACCEPTED or REFUSED at once and DONE or FAILED when a transfer ends (from a
 * loop thread; sends are serialised on this object). Anything malformed closes this connection
 * with one log line; transfers already accepted run on, and the relay keeps serving everyone else.
 */
final class ControlConnection implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlConnection.class);

    private final int fd;
    private final long peerUid;
    private final Relay relay;
    private final Map<Long, RelayedTransfer> byAgentId = new ConcurrentHashMap<>();
    private final Map<Long, RelayLoop> loopOf = new ConcurrentHashMap<>();
    private volatile boolean open = true;

    ControlConnection(int fd, long peerUid, Relay relay) {
        this.fd = fd;
        this.peerUid = peerUid;
        this.relay = relay;
    }

    @Override
    public void run() {
        relay.controlConnections.incrementAndGet();
        relay.controls.add(this);
        byte[] buf = new byte[65536];
        int[] fds = new int[8];
        try (FrameDecoder decoder = new FrameDecoder(true)) {
            for (;;) {
                int n = LinuxIo.recvWithFds(fd, buf, 0, buf.length, fds);
                if (n < 0) {
                    LOG.info("control connection (uid {}) ended: errno {}", peerUid, -n);
                    return;
                }
                if (n == 0) {
                    decoder.endOfStream();
                    LOG.debug("control connection (uid {}) closed by the agent", peerUid);
                    return;
                }
                decoder.feed(buf, 0, n, fds);
                for (Frame f; (f = decoder.next()) != null; ) {
                    handle(f);
                }
            }
        } catch (FrameDecoder.ProtocolException e) {
            relay.protocolErrors.incrementAndGet();
            LOG.warn("control connection (uid {}) closed: {}", peerUid, e.getMessage());
        } finally {
            synchronized (this) { // no send may use the fd number once it is closed
                open = false;
                LinuxIo.close(fd);
            }
            relay.controls.remove(this);
            relay.controlConnections.decrementAndGet();
        }
    }

    private void handle(Frame f) throws FrameDecoder.ProtocolException {
        if (f.type == Frame.ROUTES_QUERY) {
            send(Frame.of(Frame.ROUTES, f.id, 0, relay.routes.get()));
            return;
        }
        if (f.type == Frame.STOP_READING) {
            RelayedTransfer t = byAgentId.get(f.id);
            if (t != null) {
                loopOf.get(f.id).stopReading(t);
            }
            return;
        }
        if (f.type == Frame.ROUTE) {
            route(f);
            return;
        }
        if (f.type != Frame.HANDOFF) {
            LinuxIo.close(f.srcFd);
            throw new FrameDecoder.ProtocolException("unexpected frame type " + f.type + " from an agent");
        }
        if (byAgentId.containsKey(f.id) || relay.active() >= relay.maxTransfers
                || LinuxIo.setNonBlocking(f.srcFd) < 0 || LinuxIo.setNonBlocking(f.dstFd) < 0) {
            String why = byAgentId.containsKey(f.id) ? "duplicate id" : relay.active() >= relay.maxTransfers
                    ? "at the transfer limit (" + relay.maxTransfers + ")" : "cannot use the fds";
            LinuxIo.close(f.srcFd);
            LinuxIo.close(f.dstFd);
            relay.refused.incrementAndGet();
            send(Frame.of(Frame.REFUSED, f.id, 0, why));
            return;
        }
        long globalId = relay.ids.incrementAndGet();
        RelayedTransfer t = new RelayedTransfer(globalId, f.srcFd, f.dstFd, new RelayedTransfer.Completion() {
            @Override
            public void done(RelayedTransfer tr, long bytes) {
                ended(f.id, tr, bytes, null);
            }

            @Override
            public void failed(RelayedTransfer tr, IOException cause) {
                ended(f.id, tr, tr.moved(), cause);
            }
        }).withPrefix(f.prefix).withFlags(f.flags);
        RelayLoop loop = relay.nextLoop();
        byAgentId.put(f.id, t);
        loopOf.put(f.id, loop);
        relay.inFlight.put(globalId, new Relay.Entry(t, LinuxIo.peerAddress(f.srcFd), LinuxIo.peerAddress(f.dstFd)));
        relay.accepted.incrementAndGet();
        send(Frame.of(Frame.ACCEPTED, f.id, 0, null));
        loop.submit(t);
    }

    /** Unsolicited ROUTES (after a reload). */
    void sendRoutes(String text) {
        send(Frame.of(Frame.ROUTES, 0, 0, text));
    }

    /** A routed client: ACCEPTED once a pool takes it, DONE/FAILED when its connection ends. */
    private void route(Frame f) {
        Relay.Router router = relay.router;
        long globalId = relay.ids.incrementAndGet();
        boolean taken = router != null && relay.active() < relay.maxTransfers
                && LinuxIo.setNonBlocking(f.srcFd) >= 0 // the relay's connections are non-blocking
                && router.route(f.srcFd, f.reason, f.prefix, (bytes, failure) -> {
                    relay.routed.remove(globalId);
                    (failure == null ? relay.done : relay.failed).incrementAndGet();
                    send(failure == null ? Frame.of(Frame.DONE, f.id, bytes, null)
                            : Frame.of(Frame.FAILED, f.id, bytes, failure));
                });
        if (!taken) {
            LinuxIo.close(f.srcFd);
            relay.refused.incrementAndGet();
            send(Frame.of(Frame.REFUSED, f.id, 0, router == null ? "this relay has no pools"
                    : relay.active() >= relay.maxTransfers ? "at the transfer limit" : "no pool named " + f.reason));
            return;
        }
        relay.routed.add(globalId);
        relay.accepted.incrementAndGet();
        send(Frame.of(Frame.ACCEPTED, f.id, 0, null));
    }

    private void ended(long agentId, RelayedTransfer t, long bytes, IOException cause) {
        byAgentId.remove(agentId);
        loopOf.remove(agentId);
        relay.inFlight.remove(t.id());
        if (cause == null) {
            relay.done.incrementAndGet();
            LOG.debug("transfer {} done: {} bytes", t.id(), bytes);
            send(Frame.of(Frame.DONE, agentId, bytes, null));
        } else {
            relay.failed.incrementAndGet();
            LOG.debug("transfer {} failed after {} bytes: {}", t.id(), bytes, cause.getMessage());
            send(Frame.of(Frame.FAILED, agentId, bytes, cause.getMessage()));
        }
    }

    private synchronized void send(Frame f) {
        if (!open) {
            return; // the agent is gone: its transfers still finish, nobody waits for the answer
        }
        byte[] wire = f.encode();
        if (LinuxIo.sendWithFds(fd, wire, wire.length, null) < 0) {
            open = false;
        }
    }
}
