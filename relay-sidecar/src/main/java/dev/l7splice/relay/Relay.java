package dev.l7splice.relay;

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
final class Relay {

    /** A transfer in flight, with what the stats page shows about it. */
    static final class Entry {
        final RelayedTransfer transfer;
        final String from;
        final String to;

        Entry(RelayedTransfer transfer, String from, String to) {
            this.transfer = transfer;
            this.from = from;
            this.to = to;
        }
    }

    final PipePool pipes;
    final int maxTransfers;
    final Map<Long, Entry> inFlight = new ConcurrentHashMap<>();
    /** Routed client connections not yet ended (their bytes show per server in the balancer's stats). */
    final java.util.Set<Long> routed = ConcurrentHashMap.newKeySet();
    final AtomicLong ids = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong done = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong bytesSpliced = new AtomicLong();
    final AtomicInteger controlConnections = new AtomicInteger();
    final AtomicLong peersRefused = new AtomicLong();
    final AtomicLong protocolErrors = new AtomicLong();
    /** The ROUTES frame's text, from the balancer (empty when nothing is routed). */
    volatile java.util.function.Supplier<String> routes = () -> "";
    /** Agents connected now, told the routes again after a reload. */
    final java.util.Set<ControlConnection> controls = ConcurrentHashMap.newKeySet();

    void pushRoutes() {
        String text = routes.get();
        controls.forEach(c -> c.sendRoutes(text));
    }

    /** Route hand-off into the balancer's pools; null when the relay balances nothing. */
    volatile Router router;

    /** Takes a routed client connection: false (fd untouched) when there is no such pool. */
    interface Router {
        boolean route(int clientFd, String pool, byte[] head, Connector.Ended ended);
    }
    private final RelayLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    Relay(RelayConfig.Global g) throws IOException {
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

    RelayLoop nextLoop() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    int active() {
        return inFlight.size() + routed.size();
    }

    /** Bytes the loops copied through user space because no pipe was to be had (pipes-max reached). */
    long bytesCopied() {
        long sum = 0;
        for (RelayLoop l : loops) {
            sum += l.copiedBytes();
        }
        return sum;
    }

    void stop() {
        for (RelayLoop l : loops) {
            l.stop();
        }
    }
}
