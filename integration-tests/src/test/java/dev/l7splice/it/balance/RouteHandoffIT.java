package dev.l7splice.it.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.RelayProcess;
import dev.l7splice.it.support.Sidecar;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transparent route hand-off: the demo gateway is configured with one backend address, which the
 * relay's configuration declares as the route of a pool of three origins. With the agent on
 * (offload=sidecar) its connections are balanced across the three, byte-exact, and a killed origin
 * stops receiving any.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RouteHandoffIT {

    @TempDir
    Path dir;

    private static JavaProcess origin(String name) throws Exception {
        return JavaProcess.start(Jdks.current(), List.of("-Xmx128m"), "dev.l7splice.demo.origin.OriginServer",
                "--port", "0", "--name", name);
    }

    @Test
    void aSingleBackendAddressSpreadsOverThePoolAndAvoidsAKilledServer() throws Exception {
        int virtual;
        try (ServerSocket free = new ServerSocket(0)) {
            virtual = free.getLocalPort(); // nothing listens here: only the route makes it work
        }
        Path socket = Sidecar.socketDir().resolve("relay.sock");
        try (JavaProcess o1 = origin("o1"); JavaProcess o2 = origin("o2"); JavaProcess o3 = origin("o3");
             RelayProcess relay = RelayProcess.withConfig(dir.resolve("route.cfg"), String.join("\n",
                     "global", "    handoff-socket " + socket, "    admin 127.0.0.1:0",
                     "pool origins", "    route 127.0.0.1:" + virtual, "    balance leastconn",
                     "    server o1 127.0.0.1:" + o1.port() + " check inter 200ms rise 1 fall 1",
                     "    server o2 127.0.0.1:" + o2.port() + " check inter 200ms rise 1 fall 1",
                     "    server o3 127.0.0.1:" + o3.port() + " check inter 200ms rise 1 fall 1", ""));
             JavaProcess gw = JavaProcess.gateway(Jdks.current(),
                     List.of(JavaProcess.agent("offload=sidecar,relay.socket=" + socket)), virtual)) {
            awaitRouted(gw.port());
            Map<String, Integer> seen = fetch(gw.port(), 30);
            assertEquals(3, seen.size(), "all three origins served: " + seen);
            String metrics = relay.admin("GET", "/metrics");
            assertTrue(metrics.contains("l7relay_server_connections_total{pool=\"origins\",server=\"o2\",state=\"UP\"}"),
                    metrics);

            o2.kill();
            relay.awaitLog("server o2", 10_000);
            relay.awaitLog("is DOWN", 10_000);
            Map<String, Integer> after = fetch(gw.port(), 20);
            assertEquals(20, after.values().stream().mapToInt(Integer::intValue).sum());
            assertTrue(!after.containsKey("o2") && after.size() == 2, "o2 gets nothing once down: " + after);
        }
    }

    /** The agent learns the routes when it reaches the sidecar: until then the connect goes nowhere. */
    private static void awaitRouted(int gateway) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try {
                if (RawHttp.get(gateway, "/bytes/1").status == 200) {
                    return;
                }
            } catch (IOException retry) {
                // not yet
            }
            assertTrue(System.currentTimeMillis() < deadline, "the gateway never reached the pool");
            Thread.sleep(100);
        }
    }

    /** n sequential 1 MiB downloads, each checked against its SHA-256 header; counts by X-Origin. */
    private static Map<String, Integer> fetch(int gateway, int n) throws IOException {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            RawHttp.Response r = RawHttp.get(gateway, "/bytes/1048576");
            assertEquals(200, r.status, r.toString());
            assertEquals(1 << 20, r.bodyBytes);
            assertEquals(r.header("X-Body-SHA256"), r.sha256, "byte-exact");
            seen.merge(r.header("X-Origin"), 1, Integer::sum);
        }
        return seen;
    }
}
