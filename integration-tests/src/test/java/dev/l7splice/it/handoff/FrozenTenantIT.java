package dev.l7splice.it.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.AgentCounters;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.Sidecar;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two application JVMs share one sidecar; the first is stopped (SIGSTOP) while hundreds of its
 * relayed downloads end. The sidecar must not wait for it: the other tenant's downloads complete
 * meanwhile, the stopped tenant's clients get their whole bodies (the sidecar relays them while the
 * JVM is stopped), and after it resumes, longer than its 10 s ACCEPTED timeout later, its
 * sockets close cleanly and it hands off again.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FrozenTenantIT {

    private static final int FROZEN_DOWNLOADS = 400;
    private static final long FROZEN_BODY = 4L << 20;
    private static final int OTHER_DOWNLOADS = 100;
    private static final long OTHER_BODY = 1L << 20;

    @Test
    void aStoppedTenantDoesNotStallTheOthersAndLosesNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try (Sidecar sidecar = Sidecar.start(Sidecar.socketDir().resolve("relay.sock"));
             JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess frozen = JavaProcess.gateway(Jdks.current(),
                     List.of(JavaProcess.agent(sidecar.agentArgs())), origin.port());
             JavaProcess other = JavaProcess.gateway(Jdks.current(),
                     List.of(JavaProcess.agent(sidecar.agentArgs())), origin.port())) {
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < FROZEN_DOWNLOADS; i++) {
                    Socket s = new Socket();
                    s.setReceiveBufferSize(64 << 10); // the bodies stay in flight until read
                    s.connect(new java.net.InetSocketAddress("127.0.0.1", frozen.port()));
                    s.setSoTimeout(120_000);
                    s.getOutputStream().write(RawHttp.requestHead("GET", "/bytes/" + FROZEN_BODY, -1));
                    clients.add(s);
                }
                awaitHandedOff(frozen, FROZEN_DOWNLOADS);
                signal("STOP", frozen.pid());
                long stoppedAt = System.nanoTime();
                try {
                    // The stopped tenant's bodies are relayed by the sidecar: read whole, now.
                    List<CompletableFuture<String>> bodies = new ArrayList<>();
                    for (Socket s : clients) {
                        bodies.add(CompletableFuture.supplyAsync(() -> headAndBody(s, FROZEN_BODY), pool));
                    }
                    // Meanwhile the other tenant is served at once.
                    List<CompletableFuture<String>> others = new ArrayList<>();
                    for (int i = 0; i < OTHER_DOWNLOADS; i++) {
                        others.add(CompletableFuture.supplyAsync(() -> get(other.port(), OTHER_BODY), pool));
                    }
                    for (CompletableFuture<String> f : others) {
                        assertEquals(BodyPattern.sha256Hex(OTHER_BODY), f.get(60, TimeUnit.SECONDS),
                                "the other tenant's download, while the first is stopped");
                    }
                    for (CompletableFuture<String> f : bodies) {
                        assertEquals(BodyPattern.sha256Hex(FROZEN_BODY), f.get(90, TimeUnit.SECONDS),
                                "a stopped tenant's body, relayed by the sidecar");
                    }
                    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
                    Thread.sleep(Math.max(0, 15_000 - waited)); // past the agent's 10 s answer timeout
                } finally {
                    signal("CONT", frozen.pid());
                }
                // Resumed: every client now sees its connection end cleanly, right after the body.
                for (Socket s : clients) {
                    assertEquals(-1, s.getInputStream().read(), "nothing after the body, then a clean end");
                }
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
            long handedOff = AgentCounters.of(frozen.pid()).handedOff;
            assertEquals(BodyPattern.sha256Hex(OTHER_BODY), get(frozen.port(), OTHER_BODY), "works after resuming");
            AgentCounters after = AgentCounters.of(frozen.pid());
            assertEquals(handedOff + 1, after.handedOff, "hands off again: " + after);
            assertEquals(0, after.relayFailures, "no transfer of the stopped tenant failed: " + after);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitHandedOff(JavaProcess gw, long n) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (AgentCounters.of(gw.pid()).handedOff < n) {
            assertTrue(System.currentTimeMillis() < deadline, "hand-offs: " + AgentCounters.of(gw.pid()));
            Thread.sleep(100);
        }
    }

    private static void signal(String sig, long pid) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor());
    }

    private static String get(int port, long n) {
        try (Socket s = RawHttp.connect(port)) {
            s.getOutputStream().write(RawHttp.requestHead("GET", "/bytes/" + n, -1));
            return headAndBody(s, n);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The head, then the SHA-256 of exactly {@code n} body bytes (a short or reset body says so). */
    private static String headAndBody(Socket s, long n) {
        try {
            InputStream in = s.getInputStream();
            assertEquals(200, RawHttp.readHead(in).status);
            MessageDigest md = RawHttp.sha256();
            byte[] buf = new byte[64 << 10];
            for (long left = n; left > 0; ) {
                int k = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (k < 0) {
                    return "clean end of stream with " + left + " bytes missing";
                }
                md.update(buf, 0, k);
                left -= k;
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (SocketException e) {
            return "reset: " + e.getMessage();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
