package dev.l7splice.relay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin endpoint (HTTP; bind it to loopback): / (the stats page, {@code stats.html} beside this
 * class, which reads /stats.json), /ready, /stats (hand-off transfers in flight, then one line per
 * balanced server), /metrics (Prometheus text format, per-server labels), and
 * runtime operations on servers ({@link ServerOps}, POST /servers/POOL/SERVER), which only run
 * when {@link AdminAccess} lets the request through. Handlers run on the HttpServer's thread.
 */
final class AdminServer {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final HttpServer server;

    AdminServer(String host, int port, AdminAccess access, Relay relay, Balancing balancing) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        byte[] page = StatsPage.html();
        server.createContext("/", ex -> {
            if (!ex.getRequestURI().getPath().equals("/")) {
                reply(ex, 404, "no such page: try /, /stats, /stats.json, /metrics, /servers/POOL/SERVER\n");
                return;
            }
            StatsPage.headers(ex.getResponseHeaders());
            send(ex, 200, page);
        });
        server.createContext("/stats.json", ex -> {
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            reply(ex, 200, "application/json", StatsJson.of(relay, balancing));
        });
        server.createContext("/ready", ex -> reply(ex, 200, "ready\n"));
        server.createContext("/stats", ex -> reply(ex, 200, stats(relay) + ServerMetrics.table(balancing)));
        server.createContext("/metrics", ex -> reply(ex, 200, metrics(relay) + ServerMetrics.prometheus(balancing)));
        server.createContext("/servers/", ex -> {
            if (ex.getRequestMethod().equals("POST")) {
                AdminAccess.Denial no = access.check(ex.getRequestHeaders());
                if (no != null) {
                    LOG.warn("admin: refused POST {} from {}: {}", ex.getRequestURI(), ex.getRemoteAddress(), no.reason());
                    if (no.status() == 401) {
                        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"l7relay\"");
                    }
                    reply(ex, no.status(), no.reason() + "\n");
                    return;
                }
            }
            ServerOps.Result r = ServerOps.handle(ex.getRequestMethod(), ex.getRequestURI(), balancing);
            if (ex.getRequestMethod().equals("POST") && r.status() == 200) {
                LOG.info("admin: POST {} from {}", ex.getRequestURI(), ex.getRemoteAddress());
            }
            reply(ex, r.status(), r.body());
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    private static String stats(Relay relay) {
        StringBuilder sb = new StringBuilder("id\tfrom\tto\tbytes\tstate\tage_ms\n");
        Map<Long, Relay.Entry> sorted = new TreeMap<>(relay.inFlight);
        sorted.forEach((id, e) -> sb.append(id).append('\t').append(e.from).append('\t').append(e.to).append('\t')
                .append(e.transfer.moved()).append('\t').append(e.transfer.state()).append('\t')
                .append(e.transfer.ageMillis()).append('\n'));
        return sb.toString();
    }

    private static String metrics(Relay relay) {
        StringBuilder sb = new StringBuilder();
        gauge(sb, "l7relay_transfers_active", "Transfers in flight.", relay.active());
        sb.append("# HELP l7relay_transfers_total Transfers by how they ended or were answered.\n")
                .append("# TYPE l7relay_transfers_total counter\n")
                .append("l7relay_transfers_total{result=\"accepted\"} ").append(relay.accepted.get()).append('\n')
                .append("l7relay_transfers_total{result=\"refused\"} ").append(relay.refused.get()).append('\n')
                .append("l7relay_transfers_total{result=\"done\"} ").append(relay.done.get()).append('\n')
                .append("l7relay_transfers_total{result=\"failed\"} ").append(relay.failed.get()).append('\n');
        counter(sb, "l7relay_spliced_bytes_total", "Bytes moved with splice(2).", relay.bytesSpliced.get());
        gauge(sb, "l7relay_pipes_open", "Pipes open (in use or pooled).", relay.pipes.open());
        gauge(sb, "l7relay_control_connections", "Agents connected.", relay.controlConnections.get());
        counter(sb, "l7relay_peers_refused_total", "Control connections refused by the uid check.", relay.peersRefused.get());
        counter(sb, "l7relay_protocol_errors_total", "Control connections closed for a malformed message.",
                relay.protocolErrors.get());
        return sb.toString();
    }

    static void gauge(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(v).append('\n');
    }

    static void counter(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(v).append('\n');
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        reply(ex, status, "text/plain; charset=utf-8", body);
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        send(ex, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, byte[] b) throws IOException {
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
