package dev.l7splice.it.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.AgentCounters;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.ProcStats;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.Sidecar;
import java.io.InputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 1,000 slow downloads open at once through a gateway with 64 handler threads and the agent in
 * sidecar mode: every body arrives whole, and afterwards the fd counts of the gateway and of the
 * sidecar are back where they started.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ConcurrencyIT {

    private static final int CLIENTS = 1000;
    private static final int READERS = 8;
    private static final long BODY = 1L << 20;

    @Test
    void aThousandSlowDownloadsThrough64Threads() throws Exception {
        try (Sidecar sidecar = Sidecar.start(Sidecar.socketDir().resolve("relay.sock"));
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
                for (int i = 0; i < CLIENTS; i++) {
                    Socket s = RawHttp.connect(gw.port());
                    s.setReceiveBufferSize(32 * 1024);
                    s.getOutputStream().write(RawHttp.requestHead("GET", "/bytes/" + BODY, -1));
                    sockets.add(s);
                }
                ExecutorService readers = Executors.newFixedThreadPool(READERS);
                List<Future<Integer>> ok = new ArrayList<>();
                for (int r = 0; r < READERS; r++) {
                    int from = r;
                    ok.add(readers.submit(() -> readSlowly(sockets, from)));
                }
                int whole = 0;
                for (Future<Integer> f : ok) {
                    whole += f.get(240, TimeUnit.SECONDS);
                }
                readers.shutdown();
                assertEquals(CLIENTS, whole, "every body arrived whole");
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            AgentCounters c = AgentCounters.of(gw.pid());
            assertTrue(c.handedOff >= CLIENTS, c.toString());
            long gwAfter = ProcStats.settle(() -> ProcStats.openFdsUnchecked(gw.pid()), gwFds + 2, 30_000);
            long relayAfter = ProcStats.settle(() -> ProcStats.openFdsUnchecked(sidecar.pid()), relayFds + 2, 30_000);
            assertTrue(gwAfter <= gwFds + 2, "gateway fds " + gwFds + " -> " + gwAfter);
            assertTrue(relayAfter <= relayFds + 2, "sidecar fds " + relayFds + " -> " + relayAfter);
        }
    }

    /** Reads every READERS-th socket's body 16 KiB at a time, round-robin: slow clients. */
    private static int readSlowly(List<Socket> all, int from) throws Exception {
        List<Socket> mine = new ArrayList<>();
        for (int i = from; i < all.size(); i += READERS) {
            mine.add(all.get(i));
        }
        MessageDigest[] md = new MessageDigest[mine.size()];
        long[] got = new long[mine.size()];
        boolean[] ended = new boolean[mine.size()];
        for (int i = 0; i < mine.size(); i++) {
            RawHttp.readHead(mine.get(i).getInputStream());
            md[i] = RawHttp.sha256();
        }
        byte[] buf = new byte[16 * 1024];
        int open = mine.size();
        while (open > 0) {
            for (int i = 0; i < mine.size(); i++) {
                if (ended[i]) {
                    continue;
                }
                InputStream in = mine.get(i).getInputStream();
                int k = in.read(buf);
                if (k < 0) {
                    ended[i] = true;
                    open--;
                } else {
                    md[i].update(buf, 0, k);
                    got[i] += k;
                }
            }
        }
        int whole = 0;
        String expected = BodyPattern.sha256Hex(BODY);
        for (int i = 0; i < mine.size(); i++) {
            if (got[i] == BODY && HexFormat.of().formatHex(md[i].digest()).equals(expected)) {
                whole++;
            }
        }
        return whole;
    }
}
