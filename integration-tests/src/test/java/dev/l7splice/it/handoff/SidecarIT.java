package dev.l7splice.it.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sidecar's life cycle and boundaries, seen from a gateway running the agent in sidecar mode. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SidecarIT {

    private static final long MIB = 1 << 20;

    @Test
    void absentAtStartThenStartedThenKilledThenRestarted() throws Exception {
        Path socket = Sidecar.socketDir().resolve("relay.sock");
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess gw = JavaProcess.gateway(Jdks.current(),
                     List.of(JavaProcess.agent("offload=sidecar,relay.socket=" + socket)), origin.port())) {
            // Absent: every body still arrives, completed inline.
            download(gw, 4 * MIB);
            AgentCounters before = AgentCounters.of(gw.pid());
            assertEquals(0, before.handedOff, before.toString());
            assertTrue(before.fallbacksByReason.contains("relay-unavailable"), before.toString());

            try (Sidecar sidecar = Sidecar.start(socket)) {
                awaitHandOffs(gw, 1); // reconnects within its backoff (at most 1 s)

                // Killed while it holds a body: that download is reset (never a clean end after a
                // cut body), nothing hangs, and the next one works at once, inline.
                long huge = 1L << 30;
                try (Socket s = RawHttp.connect(gw.port())) {
                    s.getOutputStream().write(RawHttp.requestHead("GET", "/bytes/" + huge + "?sha=0", -1));
                    InputStream in = s.getInputStream();
                    assertEquals(200, RawHttp.readHead(in).status);
                    RawHttp.readUpTo(in, 4 * MIB);
                    sidecar.kill();
                    assertThrows(java.net.SocketException.class, () -> RawHttp.readUpTo(in, Long.MAX_VALUE),
                            "the client sees the cut body as a reset");
                }
                download(gw, 4 * MIB);
            }
            long handedOff = AgentCounters.of(gw.pid()).handedOff;
            try (Sidecar again = Sidecar.start(socket)) {
                awaitHandOffs(gw, handedOff + 1);
                assertTrue(again.metric("l7relay_transfers_total{result=\"done\"}") >= 1);
            }
        }
    }

    @Test
    void refusesAPeerWithAnotherUidAndSurvivesGarbage() throws Exception {
        Path dir = Sidecar.socketDir();
        Path socket = dir.resolve("relay.sock");
        // The group lets "nobody" reach the socket file, so the uid check is what refuses it.
        try (Sidecar sidecar = Sidecar.start(socket, "--socket-group", "nogroup")) {
            Path probe = dir.resolve("UnixPeer.java");
            Files.writeString(probe, String.join("\n",
                    "import java.net.*; import java.nio.*; import java.nio.channels.*;",
                    "public class UnixPeer { public static void main(String[] a) throws Exception {",
                    "  try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {",
                    "    c.connect(UnixDomainSocketAddress.of(a[0]));",
                    "    System.out.println(\"connected read=\" + c.read(ByteBuffer.allocate(16))); } } }"));
            probe.toFile().setReadable(true, false);
            Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534",
                    "--groups=" + gid("nogroup"), Jdks.java(Jdks.current()), probe.toString(), socket.toString())
                    .redirectErrorStream(true).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(out.contains("connected read=-1"), "closed by the relay: " + out);
            assertEquals(1, sidecar.metric("l7relay_peers_refused_total"), sidecar.output());

            for (byte[] garbage : List.of(new byte[] {0, 0, 0, 1}, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                    new byte[] {0, 0, 0, 20, 1, 1, 0, 0})) {
                try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    c.connect(UnixDomainSocketAddress.of(socket));
                    c.write(ByteBuffer.wrap(garbage));
                    c.shutdownOutput();
                    assertEquals(-1, c.read(ByteBuffer.allocate(64)), "the relay closes a bad control connection");
                }
            }
            assertTrue(sidecar.metric("l7relay_protocol_errors_total") >= 2, sidecar.output());
            assertTrue(sidecar.output().contains("control connection (uid 0) closed:"), sidecar.output());

            // ...and keeps serving everyone else.
            try (JavaProcess origin = JavaProcess.origin(Jdks.current());
                 JavaProcess gw = JavaProcess.gateway(Jdks.current(), List.of(JavaProcess.agent(sidecar.agentArgs())),
                         origin.port())) {
                download(gw, 8 * MIB);
                assertEquals(1, AgentCounters.of(gw.pid()).handedOff);
            }
        }
    }

    /**
     * The sidecar in its own PID and mount namespaces (its own /proc, a private tmpfs on /mnt; the
     * repository may live under /tmp, so /tmp stays shared), still relays through the socket's
     * directory.
     */
    @Test
    void relaysFromItsOwnNamespaces() throws Exception {
        Path dir = Files.createDirectories(Path.of("target/ns-sock").toAbsolutePath());
        Path socket = dir.resolve("relay.sock");
        List<String> unshare = List.of("unshare", "--pid", "--mount", "--fork", "--kill-child", "--mount-proc", "--propagation", "private",
                "sh", "-c", "mount -t tmpfs tmpfs /mnt && exec \"$0\" \"$@\"");
        try (Sidecar sidecar = Sidecar.start(unshare, socket);
             JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess gw = JavaProcess.gateway(Jdks.current(), List.of(JavaProcess.agent(sidecar.agentArgs())),
                     origin.port())) {
            download(gw, 32 * MIB);
            RawHttp.Response up = RawHttp.post(gw.port(), "/sink", 16 * MIB, 1000);
            assertEquals(BodyPattern.sha256Hex(16 * MIB), up.header("X-Body-SHA256"));
            assertTrue(AgentCounters.of(gw.pid()).handedOff >= 2);
            assertTrue(sidecar.admin("/stats").startsWith("200\nid\tfrom\tto"), sidecar.admin("/stats"));
        }
    }

    @Test
    void fdsOfGatewayAndSidecarReturnToBaselineAfterManyTransfers() throws Exception {
        try (Sidecar sidecar = Sidecar.start(Sidecar.socketDir().resolve("relay.sock"));
             JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess gw = JavaProcess.gateway(Jdks.current(), List.of(JavaProcess.agent(sidecar.agentArgs())),
                     origin.port())) {
            download(gw, 4 * MIB);
            long gwFds = ProcStats.openFds(gw.pid());
            long relayFds = ProcStats.openFds(sidecar.pid());
            for (int i = 0; i < 30; i++) {
                download(gw, MIB + i * 4099L);
            }
            assertTrue(settle(() -> ProcStats.openFdsUnchecked(gw.pid()), gwFds + 2) <= gwFds + 2);
            assertTrue(settle(() -> ProcStats.openFdsUnchecked(sidecar.pid()), relayFds + 2) <= relayFds + 2);
            assertEquals(31, sidecar.metric("l7relay_transfers_total{result=\"done\"}"));
        }
    }

    /** At its --max-transfers limit the sidecar refuses; the agent completes that body itself. */
    @Test
    void refusedAtTheLimitRunsInline() throws Exception {
        try (Sidecar sidecar = Sidecar.start(Sidecar.socketDir().resolve("relay.sock"), "--max-transfers", "1");
             JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess gw = JavaProcess.gateway(Jdks.current(), List.of(JavaProcess.agent(sidecar.agentArgs())),
                     origin.port())) {
            assertTrue(sidecar.admin("/ready").startsWith("200\nready"));
            long n = 64 * MIB;
            try (Socket held = RawHttp.connect(gw.port())) {
                held.setReceiveBufferSize(32 * 1024);
                held.getOutputStream().write(RawHttp.requestHead("GET", "/bytes/" + n, -1));
                assertEquals(200, RawHttp.readHead(held.getInputStream()).status); // relayed, not read yet
                download(gw, 8 * MIB); // the sidecar is full: this one runs inline
                AgentCounters c = AgentCounters.of(gw.pid());
                assertEquals(1, c.handedOff, c.toString());
                assertTrue(c.fallbacksByReason.contains("relay-unavailable=1"), c.toString());
                assertEquals(1, sidecar.metric("l7relay_transfers_total{result=\"refused\"}"));
                assertEquals(BodyPattern.sha256Hex(n), RawHttp.sha256Of(held.getInputStream()),
                        "the held body still arrives whole");
            }
        }
    }

    /** A relayed body that stops moving (the client stopped reading) fails after the idle timeout. */
    @Test
    void idleRelayedTransferTimesOutAndClosesBothEnds() throws Exception {
        try (Sidecar sidecar = Sidecar.start(Sidecar.socketDir().resolve("relay.sock"), "--idle-timeout-ms", "1000");
             JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess gw = JavaProcess.gateway(Jdks.current(), List.of(JavaProcess.agent(sidecar.agentArgs())),
                     origin.port())) {
            download(gw, 2 * MIB);
            long gwFds = ProcStats.openFds(gw.pid());
            long huge = 1L << 30;
            try (Socket s = RawHttp.connect(gw.port())) {
                s.setReceiveBufferSize(64 * 1024);
                s.getOutputStream().write(RawHttp.requestHead("GET", "/bytes/" + huge + "?sha=0", -1));
                InputStream in = s.getInputStream();
                assertEquals(200, RawHttp.readHead(in).status);
                long deadline = System.currentTimeMillis() + 30_000;
                while (sidecar.metric("l7relay_transfers_total{result=\"failed\"}") < 1) {
                    assertTrue(System.currentTimeMillis() < deadline, "idle transfer not failed");
                    Thread.sleep(200);
                }
                long got = 0;
                try {
                    got = RawHttp.readUpTo(in, Long.MAX_VALUE);
                } catch (java.net.SocketException reset) {
                    got = -1; // closed with unread data: a reset is the peer's way of saying so
                }
                assertTrue(got < huge, "the body was cut: " + got);
            }
            assertTrue(settle(() -> ProcStats.openFdsUnchecked(gw.pid()), gwFds + 2) <= gwFds + 2);
            assertEquals(1, AgentCounters.of(gw.pid()).relayFailures);
        }
    }

    private static long settle(LongSupplier v, long limit) throws InterruptedException {
        return ProcStats.settle(v, limit, 15_000);
    }

    private static void download(JavaProcess gw, long n) throws Exception {
        RawHttp.Response r = RawHttp.get(gw.port(), "/bytes/" + n);
        assertEquals(n, r.bodyBytes);
        assertEquals(BodyPattern.sha256Hex(n), r.sha256);
    }

    private static void awaitHandOffs(JavaProcess gw, long atLeast) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (AgentCounters.of(gw.pid()).handedOff < atLeast) {
            assertTrue(System.currentTimeMillis() < deadline, "no hand-off to the sidecar");
            download(gw, 2 * MIB);
        }
    }


    private static String gid(String group) throws Exception {
        Process p = new ProcessBuilder("getent", "group", group).start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        p.waitFor();
        return line.split(":")[2];
    }
}
