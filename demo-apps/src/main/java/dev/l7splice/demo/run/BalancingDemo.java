package dev.l7splice.demo.run;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.demo.http.HttpHead;
import dev.l7splice.demo.http.HttpHeadReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The balancing part of the demo: the gateway is configured with one backend address that nothing
 * listens on; the relay's configuration declares that address the route of a pool of three
 * origins, so with the agent on (offload=sidecar) the gateway's connections are spread over them.
 * Then one origin is stopped, and the relay's health check takes it out: the next requests go to
 * the other two, none fails. Every body is checked by SHA-256. Used on the demo's main thread.
 */
final class BalancingDemo {

    private static final int REQUESTS = 30;
    private static final long BODY = 1 << 20;

    private final DemoSession.Starter starter;
    private final PrintStream console;

    BalancingDemo(DemoSession.Starter starter, PrintStream console) {
        this.starter = starter;
        this.console = console;
    }

    /** @return true when every body arrived whole and none failed */
    boolean run(Path agentJar, Path relayJar, Path logDir) throws IOException, InterruptedException {
        int route;
        try (ServerSocket free = new ServerSocket(0)) {
            route = free.getLocalPort(); // nothing listens here: only the route makes it work
        }
        ChildProcess[] origins = new ChildProcess[3];
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < origins.length; i++) {
            String name = "o" + (i + 1);
            origins[i] = starter.start("origin-" + name, List.of(), "dev.l7splice.demo.origin.OriginServer",
                    List.of("--port", "0", "--name", name));
            servers.append("    server ").append(name).append(" 127.0.0.1:").append(origins[i].port())
                    .append(" check inter 200ms rise 1 fall 1\n");
        }
        Path socket = logDir.resolve("balancer.sock");
        Path config = logDir.resolve("balancer.cfg");
        Files.writeString(config, "global\n    handoff-socket " + socket + "\n    admin 127.0.0.1:0\n"
                + "pool origins\n    route 127.0.0.1:" + route + "\n    balance leastconn\n" + servers);
        ChildProcess relay = starter.startRelay("balancer relay", List.of("--config", config.toString()));
        ChildProcess gateway = starter.start("gateway-balanced",
                List.of(DemoMode.AGENT_SIDECAR.javaagentOption(agentJar, socket)), "dev.l7splice.demo.gateway.Gateway",
                List.of("--port", "0", "--backend", "127.0.0.1:" + route));
        console.println();
        console.printf("balancing: the gateway's one backend address 127.0.0.1:%d is the route of a relay pool of"
                + " three origins (agent offload=sidecar, relay config %s)%n", route, config);
        awaitRouted(gateway.port());
        boolean ok = round("all three up", gateway.port());
        origins[1].destroy();
        Thread.sleep(1000); // a few check intervals: o2 is DOWN before the next round
        ok &= round("o2 stopped", gateway.port());
        RelayMetrics.read(relay.port(), RelayMetrics.BYTES_SPLICED).ifPresent(n -> console.printf(
                "  the relay spliced %d bytes: each body twice, origin to gateway (the balanced connection) and"
                        + " gateway to client (the gateway's own copy, handed to the relay by the agent)%n", n));
        return ok;
    }

    /** REQUESTS bodies through the gateway, one at a time: which origin served each, and whether all were whole. */
    private boolean round(String label, int port) {
        Map<String, Integer> served = new TreeMap<>();
        int failed = 0;
        for (int i = 0; i < REQUESTS; i++) {
            try {
                served.merge(get(port), 1, Integer::sum);
            } catch (IOException e) {
                failed++;
            }
        }
        StringBuilder line = new StringBuilder();
        served.forEach((origin, n) -> line.append(String.format("%s %-4d", origin, n)));
        console.printf("  %-14s %d x %s: %s  checksums %s, %d failed%n", label, REQUESTS, "1 MiB", line,
                failed == 0 ? "ok" : "NOT ok", failed);
        return failed == 0;
    }

    /** One GET of BODY bytes; the origin that served it (X-Origin), or IOException when not whole. */
    private static String get(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET /bytes/" + BODY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream());
            HttpHead head = HttpHeadReader.read(in);
            MessageDigest sha = BodyPattern.newSha256();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                sha.update(buf, 0, n);
            }
            if (!HexFormat.of().formatHex(sha.digest()).equals(BodyPattern.sha256Hex(BODY))) {
                throw new IOException("body not whole");
            }
            return head.first("X-Origin").orElse("?");
        }
    }

    /** The agent learns the route once it reaches the relay; until then the gateway's connect fails. */
    private static void awaitRouted(int port) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try {
                get(port);
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("the gateway's route never reached the relay pool", e);
                }
                Thread.sleep(100);
            }
        }
    }
}
