package dev.l7splice.relay.runtime;

import dev.l7splice.engine.RelayLoop;
import dev.l7splice.engine.RelayedTransfer;
import dev.l7splice.kernel.PipePool;
import dev.l7splice.relay.config.RelayConfig;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sidecar's relay: event loops, the pipe pool, the table of transfers in flight and the
 * counters the admin endpoint shows. Thread-safe.
 */
public final class Relay {

    /** A transfer in flight, with what the stats page shows about it. */
    public static final class Entry {
        public final RelayedTransfer transfer;
        public final String from;
        public final String to;

        public Entry(RelayedTransfer transfer, String from, String to) {
            this.transfer = transfer;
            this.from = from;
            this.to = to;
        }
    }

    public final PipePool pipes;
    public final int maxTransfers;
    public final Map<Long, Entry> inFlight = new ConcurrentHashMap<>();
    /** Routed client connections not yet ended (their bytes show per server in the balancer's stats). */
    public final java.util.Set<Long> routed = ConcurrentHashMap.newKeySet();
    public final AtomicLong ids = new AtomicLong();
    public final AtomicLong accepted = new AtomicLong();
    public final AtomicLong refused = new AtomicLong();
    public final AtomicLong done = new AtomicLong();
    public final AtomicLong failed = new AtomicLong();
    public final AtomicLong bytesSpliced = new AtomicLong();
    public final AtomicInteger controlConnections = new AtomicInteger();
    public final AtomicLong peersRefused = new AtomicLong();
    public final AtomicLong protocolErrors = new AtomicLong();
    /** The ROUTES frame's text, from the balancer (empty when nothing is routed). */
    public volatile java.util.function.Supplier<String> routes = () -> "";
    /** Agents connected now, told the routes again after a reload. */
    public final java.util.Set<Agent> controls = ConcurrentHashMap.newKeySet();

    /** A connected agent's control connection (handoff's), as the relay tells it new routes; any thread. */
    public interface Agent {
        void sendRoutes(String text);
    }

    public void pushRoutes() {
        String text = routes.get();
        controls.forEach(c -> c.sendRoutes(text));
    }

    /** Route hand-off into the balancer's pools; null when the relay balances nothing. */
    public volatile Router router;

    /** Takes a routed client connection: false (fd untouched) when there is no such pool. */
    public interface Router {
        boolean route(int clientFd, String pool, byte[] head, Ended ended);
    }

    /** Told once how a connection ended: the bytes relayed both ways, and null or why it failed. */
    public interface Ended {
        Ended NONE = (bytes, failure) -> { };

        void ended(long bytes, String failure);
    }
    private final RelayLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    public Relay(RelayConfig.Global g) throws IOException {
        pipes = new PipePool(g.pipeSize(), g.pipesMax());
        maxTransfers = g.maxTransfers();
        loops = new RelayLoop[g.threads()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new RelayLoop(pipes, g.idleTimeoutMillis(), bytesSpliced::addAndGet);
            Thread t = new Thread(loops[i], "relay-loop-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    public RelayLoop nextLoop() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    public int active() {
        return inFlight.size() + routed.size();
    }

    /** Bytes the loops copied through user space because no pipe was to be had (pipes-max reached). */
    public long bytesCopied() {
        long sum = 0;
        for (RelayLoop l : loops) {
            sum += l.copiedBytes();
        }
        return sum;
    }

    public void stop() {
        for (RelayLoop l : loops) {
            l.stop();
        }
    }
}
