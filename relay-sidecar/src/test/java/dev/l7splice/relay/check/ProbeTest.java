package dev.l7splice.relay.check;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.l7splice.relay.balance.Balancer;
import dev.l7splice.relay.balance.Pool;
import dev.l7splice.relay.balance.Server;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The TCP and HTTP probes against real listeners, and rise/fall through HealthCheck. */
@Timeout(30)
class ProbeTest {

    @Test
    void httpProbeComparesTheStatusAndTcpProbeOnlyConnects() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        http.createContext("/health", ex -> {
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        http.start();
        try {
            Server s = new Server("s", "127.0.0.1", http.getAddress().getPort(), 1);
            Probe probe = Probe.http("GET", "/health", 200);
            Probe.Result ok = probe.check(s, 1000);
            assertTrue(ok.ok(), ok.text());
            assertTrue(ok.text().startsWith("L7OK 200"), ok.text());
            status.set(503);
            Probe.Result bad = probe.check(s, 1000);
            assertFalse(bad.ok());
            assertTrue(bad.text().equals("L7STS 503"), bad.text());
            assertTrue(Probe.tcp().check(s, 1000).ok(), "a 503 server still accepts TCP");
        } finally {
            http.stop(0);
        }
        int closedPort;
        try (ServerSocket ss = new ServerSocket(0)) {
            closedPort = ss.getLocalPort();
        }
        Probe.Result refused = Probe.tcp().check(new Server("d", "127.0.0.1", closedPort, 1), 500);
        assertFalse(refused.ok());
        assertTrue(refused.text().startsWith("L4CON"), refused.text());
    }

    @Test
    void riseAndFallCountChecksInARow() throws Exception {
        AtomicInteger status = new AtomicInteger(503);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        http.createContext("/", ex -> {
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        http.start();
        Server s = new Server("s", "127.0.0.1", http.getAddress().getPort(), 1);
        Pool pool = new Pool("p", java.util.List.of(s), Balancer.named("roundrobin"));
        HealthCheck check = new HealthCheck(pool, java.util.List.of(new HealthCheck.Target(s, 50, 2, 3)),
                Probe.http("GET", "/", 200), 500).start();
        try {
            waitFor(() -> !s.isUp());
            assertTrue(s.stats.checksFailed.get() >= 3);
            status.set(200);
            waitFor(s::isUp);
            assertTrue(s.stats.checksPassed.get() >= 2);
        } finally {
            check.stop();
            http.stop(0);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met in 10 s");
            }
            Thread.sleep(10);
        }
    }
}
