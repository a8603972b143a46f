package dev.l7splice.it.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.ProcStats;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.RelayProcess;
import dev.l7splice.it.support.Sidecar;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The l7splice-api's explicit route hand-off: with the agent (offload=sidecar) the relay picks a
 * server of the pool, writes the head and splices both ways (downloads and uploads byte-exact,
 * spread over the pool, 503 when the pool has no server); without the agent, or for a pool the
 * relay does not have, the API's fallback connects to the given address.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RouteApiIT {

    @TempDir
    Path dir;

    private static JavaProcess origin(String name) throws Exception {
        return JavaProcess.start(Jdks.current(), List.of("-Xmx128m"), "dev.l7splice.demo.origin.OriginServer",
                "--port", "0", "--name", name);
    }

    private static JavaProcess app(List<String> jvmOptions, String pool, int fallbackPort) throws Exception {
        String cp = String.join(File.pathSeparator, Path.of("target/test-classes").toAbsolutePath().toString(),
                Artifacts.demoJar().toString(), Artifacts.apiJar().toString());
        List<String> opts = new ArrayList<>(List.of("-Xmx128m"));
        opts.addAll(jvmOptions);
        return JavaProcess.start(Jdks.current(), cp, opts, RouteApp.class.getName(), pool, Integer.toString(fallbackPort));
    }

    private RelayProcess relay(Path socket, String servers) throws Exception {
        return RelayProcess.withConfig(dir.resolve("relay.cfg"), "global\n    handoff-socket " + socket
                + "\n    admin 127.0.0.1:0\npool origins\n    balance roundrobin\n" + servers);
    }

    @Test
    void withTheAgentTheRelayServesThePoolBothWaysByteExact() throws Exception {
        Path socket = Sidecar.socketDir().resolve("relay.sock");
        try (JavaProcess o1 = origin("o1"); JavaProcess o2 = origin("o2"); JavaProcess fb = origin("fallback");
             RelayProcess relay = relay(socket, "    server o1 127.0.0.1:" + o1.port() + "\n    server o2 127.0.0.1:"
                     + o2.port() + "\n");
             JavaProcess app = app(List.of(JavaProcess.agent("offload=sidecar,relay.socket=" + socket)), "origins",
                     fb.port())) {
            awaitRelayed(app.port());
            long fdsBefore = ProcStats.openFds(app.pid());
            Map<String, Integer> seen = new TreeMap<>();
            for (long n : new long[] {0, 1, 65_537, 16L << 20, 64L << 20}) {
                for (int i = 0; i < 2; i++) {
                    RawHttp.Response r = RawHttp.get(app.port(), "/bytes/" + n);
                    assertEquals(200, r.status, r.toString());
                    assertEquals(n, r.bodyBytes);
                    assertEquals(BodyPattern.sha256Hex(n), r.sha256);
                    seen.merge(r.header("X-Origin"), 1, Integer::sum);
                }
            }
            assertEquals(Map.of("o1", 5, "o2", 5), seen, "round robin over the pool, never the fallback");
            for (long n : new long[] {1, 1_000_003, 32L << 20}) {
                RawHttp.Response up = RawHttp.post(app.port(), "/sink", n, 4096);
                assertEquals(200, up.status, up.toString());
                assertEquals(BodyPattern.sha256Hex(n), up.header("X-Body-SHA256"), "upload " + n);
            }
            String metrics = relay.admin("GET", "/metrics");
            long o1n = RelayProcess.metric(metrics, "l7relay_server_connections_total{pool=\"origins\",server=\"o1\",state=\"UP\"} ");
            long o2n = RelayProcess.metric(metrics, "l7relay_server_connections_total{pool=\"origins\",server=\"o2\",state=\"UP\"} ");
            assertEquals(RelayProcess.metric(metrics, "l7relay_transfers_total{result=\"accepted\"} "), o1n + o2n,
                    "every routed connection reached a server of the pool");
            assertTrue(o1n >= 5 && o2n >= 5, metrics);
            assertTrue(ProcStats.settle(() -> ProcStats.openFdsUnchecked(app.pid()), fdsBefore + 2, 10_000)
                    <= fdsBefore + 2, "the app closed every routed socket");
        }
    }

    /**
     * {@code balance hash hdr(X-User)}: the relay hashes the header from the head the application
     * handed over, so each user's requests all reach one server, and the users spread over the pool.
     */
    @Test
    void balanceHashOnAHeaderKeepsEachUserOnOneServer() throws Exception {
        Path socket = Sidecar.socketDir().resolve("relay.sock");
        try (JavaProcess o1 = origin("o1"); JavaProcess o2 = origin("o2"); JavaProcess o3 = origin("o3");
             JavaProcess fb = origin("fallback");
             RelayProcess relay = relay(socket, "    balance hash hdr(X-User)\n    server o1 127.0.0.1:" + o1.port()
                     + "\n    server o2 127.0.0.1:" + o2.port() + "\n    server o3 127.0.0.1:" + o3.port() + "\n");
             JavaProcess app = app(List.of(JavaProcess.agent("offload=sidecar,relay.socket=" + socket)), "origins",
                     fb.port())) {
            long deadline = System.currentTimeMillis() + 20_000;
            while ("fallback".equals(getAs(app.port(), "warm-up", 1).header("X-Origin"))) {
                assertTrue(System.currentTimeMillis() < deadline, "the agent never reached the sidecar");
                Thread.sleep(100);
            }
            Map<String, String> serverOf = new TreeMap<>();
            for (int round = 0; round < 3; round++) {
                for (int u = 0; u < 24; u++) {
                    long n = 70_000 + u;
                    RawHttp.Response r = getAs(app.port(), "user" + u, n);
                    assertEquals(200, r.status, r.toString());
                    assertEquals(BodyPattern.sha256Hex(n), r.sha256);
                    String was = serverOf.putIfAbsent("user" + u, r.header("X-Origin"));
                    assertEquals(was == null ? r.header("X-Origin") : was, r.header("X-Origin"), "user" + u + " moved");
                }
            }
            assertTrue(new java.util.HashSet<>(serverOf.values()).size() >= 2, "users spread: " + serverOf);
            assertTrue(!serverOf.containsValue("fallback"), serverOf.toString());
        }
    }

    private static RawHttp.Response getAs(int port, String user, long n) throws Exception {
        try (java.net.Socket s = RawHttp.connect(port)) {
            s.getOutputStream().write(("GET /bytes/" + n + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-User: " + user
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return RawHttp.readResponse(s.getInputStream());
        }
    }

    @Test
    void aPoolWithNoServerAnswers503AndAnUnknownPoolFallsBack() throws Exception {
        Path socket = Sidecar.socketDir().resolve("relay.sock");
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        try (JavaProcess fb = origin("fallback");
             RelayProcess relay = relay(socket, "    retries 0\n    server gone 127.0.0.1:" + dead + "\n");
             JavaProcess down = app(List.of(JavaProcess.agent("offload=sidecar,relay.socket=" + socket)), "origins",
                     fb.port());
             JavaProcess unknown = app(List.of(JavaProcess.agent("offload=sidecar,relay.socket=" + socket)), "nope",
                     fb.port())) {
            long deadline = System.currentTimeMillis() + 20_000;
            RawHttp.Response r;
            do {
                r = RawHttp.get(down.port(), "/bytes/10");
                if (r.status == 503) {
                    break;
                }
                Thread.sleep(100); // until the agent reached the sidecar, the fallback answers
            } while (System.currentTimeMillis() < deadline);
            assertEquals(503, r.status, r.toString());
            RawHttp.Response f = RawHttp.get(unknown.port(), "/bytes/1000");
            assertEquals(200, f.status);
            assertEquals("fallback", f.header("X-Origin"), "no such pool: the API's fallback connects");
            assertEquals(BodyPattern.sha256Hex(1000), f.sha256);
        }
    }

    @Test
    void withoutTheAgentTheFallbackServesEverything() throws Exception {
        try (JavaProcess fb = origin("fallback"); JavaProcess app = app(List.of(), "origins", fb.port())) {
            RawHttp.Response r = RawHttp.get(app.port(), "/bytes/" + (8 << 20));
            assertEquals(200, r.status);
            assertEquals("fallback", r.header("X-Origin"));
            assertEquals(BodyPattern.sha256Hex(8 << 20), r.sha256);
            RawHttp.Response up = RawHttp.post(app.port(), "/sink", 5_000_000, 100);
            assertEquals(BodyPattern.sha256Hex(5_000_000), up.header("X-Body-SHA256"));
        }
    }

    /** Until the agent has reached the sidecar, the fallback (an origin named "fallback") answers. */
    private static void awaitRelayed(int port) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!"o1 o2".contains(String.valueOf(RawHttp.get(port, "/bytes/1").header("X-Origin")))) {
            assertTrue(System.currentTimeMillis() < deadline, "the agent never reached the sidecar");
            Thread.sleep(100);
        }
    }
}
