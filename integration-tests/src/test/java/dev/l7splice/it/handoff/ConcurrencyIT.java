package dev.l7splice.it.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.AgentCounters;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.ProcStats;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.RoundRobinReaders;
import dev.l7splice.it.support.Sidecar;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 1,000 slow downloads open at once through a gateway with 64 handler threads and the agent in
 * sidecar mode: every body arrives whole (checked against its pattern), and afterwards the fd
 * counts of the gateway and of the sidecar are back where they started. Then the same with a
 * sidecar of two pipes: the transfers that find none move their bytes through the loop's pooled
 * chunks (its metrics show it), and every body still arrives whole.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ConcurrencyIT {

    private static final int CLIENTS = 1000;
    private static final int READERS = 8;
    private static final long BODY = 1L << 20;

    @Test
    void aThousandSlowDownloadsThrough64Threads() throws Exception {
        slowDownloads(CLIENTS, BODY);
    }

    @Test
    void withTwoPipesTheOthersAreCopiedThroughChunks() throws Exception {
        long copied = slowDownloads(100, 8L << 20, "--pipes-max", "2");
        assertTrue(copied > 0, "transfers without a pipe were copied");
    }

    /** The downloads, every body checked, no fd left; returns the sidecar's l7relay_copied_bytes_total. */
    private static long slowDownloads(int clients, long body, String... sidecarArgs) throws Exception {
        try (Sidecar sidecar = Sidecar.start(Sidecar.socketDir().resolve("relay.sock"), sidecarArgs);
             JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess gw = JavaProcess.start(Jdks.current(), List.of("-Xmx512m", JavaProcess.agent(sidecar.agentArgs())),
                     "dev.l7splice.demo.gateway.Gateway", "--port", "0", "--threads", "64",
                     "--backend", "127.0.0.1:" + origin.port())) {
            RawHttp.Response warm = RawHttp.get(gw.port(), "/bytes/" + BODY);
            assertEquals(BodyPattern.sha256Hex(BODY), warm.sha256);
            AgentCounters.of(gw.pid()); // attach once before the baseline (the JMX connector keeps fds)
            long gwFds = ProcStats.openFds(gw.pid());
            long relayFds = ProcStats.openFds(sidecar.pid());

            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    Socket s = RawHttp.connect(gw.port());
                    s.setReceiveBufferSize(32 * 1024);
                    s.getOutputStream().write(RawHttp.requestHead("GET", "/bytes/" + body, -1));
                    sockets.add(s);
                }
                int whole = RoundRobinReaders.readAll(sockets, READERS, body, 240);
                assertEquals(clients, whole, "every body arrived whole");
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            AgentCounters c = AgentCounters.of(gw.pid());
            assertTrue(c.handedOff >= clients, c.toString());

            long gwAfter = ProcStats.settle(() -> ProcStats.openFdsUnchecked(gw.pid()), gwFds + 2, 30_000);
            long relayAfter = ProcStats.settle(() -> ProcStats.openFdsUnchecked(sidecar.pid()), relayFds + 2, 30_000);
            assertTrue(gwAfter <= gwFds + 2, "gateway fds " + gwFds + " -> " + gwAfter);
            assertTrue(relayAfter <= relayFds + 2, "sidecar fds " + relayFds + " -> " + relayAfter);
            return sidecar.metric("l7relay_copied_bytes_total");
        }
    }
}
