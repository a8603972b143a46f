package dev.l7splice.relay.handoff;

import dev.l7splice.engine.Frame;
import dev.l7splice.engine.FrameDecoder;
import dev.l7splice.engine.RelayLoop;
import dev.l7splice.engine.RelayedTransfer;
import dev.l7splice.kernel.nativeio.LinuxIo;
import dev.l7splice.relay.runtime.Relay;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's control connection, on its own thread: reads HANDOFF, ROUTE and STOP_READING frames
 * (with their fds), answers ACCEPTED or REFUSED at once and DONE or FAILED when a transfer ends.
 * Every answer goes through an {@link AgentOutbox}, so no relay loop ever waits for an agent: an
 * agent that stops reading (a stopped JVM) is dropped once its queue passes
 * {@link #QUEUE_LIMIT_BYTES} or takes nothing for {@link #STALL_NANOS}, and its transfers are then
 * reset (it could no longer learn how they end, so neither peer may take a cut body for a whole
 * one). An agent that closes its connection leaves its accepted transfers running. Anything
 * malformed closes this connection with one log line; the relay keeps serving everyone else.
 */
final class ControlConnection implements Runnable, Relay.Agent {

    private static final Logger LOG = LoggerFactory.getLogger(ControlConnection.class);
    static final long QUEUE_LIMIT_BYTES = 4L << 20;
    static final long STALL_NANOS = 300_000_000_000L;

    /** A transfer in flight and the loop it runs on: one entry, so they are seen together or not at all. */
    record Relayed(RelayedTransfer transfer, RelayLoop loop) {
    }

    private final int fd;
    private final long peerUid;
    private final Relay relay;
    /** Agent id -> transfer: written by this thread (put) and the loops (remove when it ends). */
    private final Map<Long, Relayed> transfers;
    private final int wakeFd;
    private final AgentOutbox outbox;

    ControlConnection(int fd, long peerUid, Relay relay) {
        this(fd, peerUid, relay, new ConcurrentHashMap<>(), QUEUE_LIMIT_BYTES);
    }

    ControlConnection(int fd, long peerUid, Relay relay, Map<Long, Relayed> transfers, long queueLimit) {
        this.fd = fd;
        this.peerUid = peerUid;
        this.relay = relay;
        this.transfers = transfers;
        this.wakeFd = LinuxIo.eventfd();
        this.outbox = new AgentOutbox(fd, queueLimit, () -> LinuxIo.eventfdSignal(wakeFd));
    }

    @Override
    public void run() {
        relay.controlConnections.incrementAndGet();
        relay.controls.add(this);
        int ep = LinuxIo.epollCreate();
        String dropped = null;
        try (FrameDecoder decoder = new FrameDecoder(true)) {
            if (ep < 0 || wakeFd < 0 || LinuxIo.setNonBlocking(fd) < 0
                    || LinuxIo.epollCtl(ep, LinuxIo.EPOLL_CTL_ADD, fd, LinuxIo.EPOLLIN) < 0
                    || LinuxIo.epollCtl(ep, LinuxIo.EPOLL_CTL_ADD, wakeFd, LinuxIo.EPOLLIN) < 0) {
                LOG.warn("control connection (uid {}) closed: cannot watch it", peerUid);
                return;
            }
            dropped = serve(ep, decoder);
        } catch (FrameDecoder.ProtocolException e) {
            relay.protocolErrors.incrementAndGet();
            LOG.warn("control connection (uid {}) closed: {}", peerUid, e.getMessage());
        } finally {
            outbox.close(); // no send may use the fd number once it is closed
            LinuxIo.close(fd);
            LinuxIo.close(wakeFd);
            if (ep >= 0) {
                LinuxIo.close(ep);
            }
            relay.controls.remove(this);
            relay.controlConnections.decrementAndGet();
            if (dropped != null) {
                resetAll(dropped);
            }
        }
    }

    /** Reads frames and flushes answers until the agent leaves (null) or must be dropped (why). */
    private String serve(int ep, FrameDecoder decoder) throws FrameDecoder.ProtocolException {
        byte[] buf = new byte[65536];
        int[] fds = new int[8];
        int[] events = new int[8];
        boolean watchingOut = false;
        for (;;) {
            String trouble = outbox.trouble(System.nanoTime(), STALL_NANOS);
            if (trouble != null) {
                LOG.warn("control connection (uid {}) dropped: {}; its {} transfer(s) are reset",
                        peerUid, trouble, transfers.size());
                return trouble;
            }
            boolean pending = outbox.pending();
            if (pending != watchingOut) {
                LinuxIo.epollCtl(ep, LinuxIo.EPOLL_CTL_MOD, fd, LinuxIo.EPOLLIN | (pending ? LinuxIo.EPOLLOUT : 0));
                watchingOut = pending;
            }
            int n = LinuxIo.epollWait(ep, events, pending ? 1000 : -1);
            for (int i = 0; i < n; i++) {
                if (events[2 * i] == wakeFd) {
                    LinuxIo.eventfdClear(wakeFd);
                    continue;
                }
                if ((events[2 * i + 1] & LinuxIo.EPOLLOUT) != 0) {
                    outbox.flush();
                }
                if ((events[2 * i + 1] & (LinuxIo.EPOLLIN | LinuxIo.EPOLLHUP | LinuxIo.EPOLLERR)) == 0) {
                    continue;
                }
                int r = LinuxIo.recvWithFds(fd, buf, 0, buf.length, fds);
                if (r == 0) {
                    decoder.endOfStream();
                    LOG.debug("control connection (uid {}) closed by the agent", peerUid);
                    return null;
                }
                if (r < 0 && r != -LinuxIo.EAGAIN) {
                    LOG.info("control connection (uid {}) ended: errno {}", peerUid, -r);
                    return null;
                }
                if (r > 0) {
                    decoder.feed(buf, 0, r, fds);
                    for (Frame f; (f = decoder.next()) != null; ) {
                        handle(f);
                    }
                }
            }
        }
    }

    /** The agent was dropped while its transfers ran: each ends now, both of its sockets reset. */
    private void resetAll(String why) {
        for (Relayed r : transfers.values()) {
            r.loop().abort(r.transfer(), new IOException("agent dropped: " + why));
        }
    }

    void handle(Frame f) throws FrameDecoder.ProtocolException {
        if (f.type == Frame.ROUTES_QUERY) {
            send(Frame.of(Frame.ROUTES, f.id, 0, relay.routes.get()));
            return;
        }
        if (f.type == Frame.STOP_READING) {
            Relayed r = transfers.get(f.id);
            if (r != null) {
                r.loop().stopReading(r.transfer()); // a no-op once it has ended
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
        if (transfers.containsKey(f.id) || relay.active() >= relay.maxTransfers
                || LinuxIo.setNonBlocking(f.srcFd) < 0 || LinuxIo.setNonBlocking(f.dstFd) < 0) {
            String why = transfers.containsKey(f.id) ? "duplicate id" : relay.active() >= relay.maxTransfers
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
        }).withPrefix(f.prefix).withFlags(f.flags | RelayedTransfer.RESET_ON_FAILURE);
        RelayLoop loop = relay.nextLoop();
        transfers.put(f.id, new Relayed(t, loop));
        relay.inFlight.put(globalId, new Relay.Entry(t, LinuxIo.peerAddress(f.srcFd), LinuxIo.peerAddress(f.dstFd)));
        relay.accepted.incrementAndGet();
        send(Frame.of(Frame.ACCEPTED, f.id, 0, null));
        loop.submit(t);
    }

    /** Unsolicited ROUTES (after a reload). */
    @Override
    public void sendRoutes(String text) {
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

    void ended(long agentId, RelayedTransfer t, long bytes, IOException cause) {
        transfers.remove(agentId);
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

    private void send(Frame f) {
        outbox.send(f.encode()); // never blocks; false: the agent is gone or being dropped
    }
}
