package dev.l7splice.relay.admin;

import dev.l7splice.relay.balance.Pool;
import dev.l7splice.relay.balance.Server;
import dev.l7splice.relay.balance.ServerStats;
import dev.l7splice.relay.balancer.Balancing;
import java.util.Locale;
import java.util.function.ToLongFunction;

/** Per-server figures for the admin endpoint: a table for /stats and labelled series for /metrics. */
final class ServerMetrics {

    private ServerMetrics() {
    }

    static String table(Balancing b) {
        StringBuilder sb = new StringBuilder("\npool\tserver\taddress\tstate\tweight\tactive\tqueued\tconnections"
                + "\tconnect_failures\tbytes_to_server\tbytes_to_client\tlast_check\n");
        for (var f : b.frontends().values()) {
            for (Server s : f.pool.servers()) {
                sb.append(f.pool.name).append('\t').append(s.name).append('\t').append(s.host).append(':')
                        .append(s.port).append('\t').append(s.state()).append('\t').append(s.weight()).append('/')
                        .append(s.configuredWeight()).append('\t').append(s.active()).append('\t')
                        .append(f.pool.queued()).append('\t').append(s.stats.connections.get()).append('\t')
                        .append(s.stats.connectFailures.get()).append('\t').append(s.stats.bytesToServer.get())
                        .append('\t').append(s.stats.bytesToClient.get()).append('\t').append(s.stats.lastCheck())
                        .append('\n');
            }
        }
        return sb.toString();
    }

    static String prometheus(Balancing b) {
        StringBuilder sb = new StringBuilder();
        series(sb, b, "l7relay_server_up", "gauge", "1 when the server is UP (in rotation or draining).",
                s -> s.isUp() && s.admin() != Server.AdminState.MAINT ? 1 : 0);
        series(sb, b, "l7relay_server_weight", "gauge", "Effective weight (slowstart included).", Server::weight);
        series(sb, b, "l7relay_server_active_connections", "gauge", "Connections held now.", Server::active);
        series(sb, b, "l7relay_server_connections_total", "counter", "Connections established.",
                s -> s.stats.connections.get());
        series(sb, b, "l7relay_server_connect_failures_total", "counter", "Failed connects.",
                s -> s.stats.connectFailures.get());
        series(sb, b, "l7relay_server_sent_bytes_total", "counter", "Bytes relayed to the server (from clients).",
                s -> s.stats.bytesToServer.get());
        series(sb, b, "l7relay_server_received_bytes_total", "counter", "Bytes relayed from the server (to clients).",
                s -> s.stats.bytesToClient.get());
        series(sb, b, "l7relay_server_checks_passed_total", "counter", "Health checks passed.",
                s -> s.stats.checksPassed.get());
        series(sb, b, "l7relay_server_checks_failed_total", "counter", "Health checks failed.",
                s -> s.stats.checksFailed.get());
        histogram(sb, b);
        sb.append("# HELP l7relay_pool_queued Connections waiting for a server below its maxconn.\n")
                .append("# TYPE l7relay_pool_queued gauge\n");
        b.frontends().values().forEach(f -> sb.append("l7relay_pool_queued{pool=\"").append(f.pool.name)
                .append("\"} ").append(f.pool.queued()).append('\n'));
        sb.append("# HELP l7relay_pool_rejected_total Clients closed without a server, by reason.\n")
                .append("# TYPE l7relay_pool_rejected_total counter\n");
        for (var f : b.frontends().values()) {
            Pool p = f.pool;
            reason(sb, p, "no_server", p.noServer.get());
            reason(sb, p, "queue_full", p.queueFull.get());
            reason(sb, p, "queue_timeout", p.queueTimeouts.get());
        }
        return sb.toString();
    }

    private static void reason(StringBuilder sb, Pool p, String reason, long v) {
        sb.append("l7relay_pool_rejected_total{pool=\"").append(p.name).append("\",reason=\"").append(reason)
                .append("\"} ").append(v).append('\n');
    }

    private static void series(StringBuilder sb, Balancing b, String name, String type, String help,
                               ToLongFunction<Server> value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (var f : b.frontends().values()) {
            for (Server s : f.pool.servers()) {
                sb.append(name).append(labels(f.pool, s, null)).append(' ').append(value.applyAsLong(s)).append('\n');
            }
        }
    }

    private static void histogram(StringBuilder sb, Balancing b) {
        String name = "l7relay_server_connect_seconds";
        sb.append("# HELP ").append(name).append(" Time to connect to the server.\n")
                .append("# TYPE ").append(name).append(" histogram\n");
        for (var f : b.frontends().values()) {
            for (Server s : f.pool.servers()) {
                long cumulative = 0;
                for (int i = 0; i <= ServerStats.CONNECT_BUCKETS_MS.length; i++) {
                    cumulative += s.stats.connectBucket(i);
                    String le = i == ServerStats.CONNECT_BUCKETS_MS.length ? "+Inf"
                            : String.format(Locale.ROOT, "%s", ServerStats.CONNECT_BUCKETS_MS[i] / 1000);
                    sb.append(name).append("_bucket").append(labels(f.pool, s, le)).append(' ').append(cumulative)
                            .append('\n');
                }
                sb.append(name).append("_sum").append(labels(f.pool, s, null)).append(' ')
                        .append(String.format(Locale.ROOT, "%.6f", s.stats.connectSecondsSum())).append('\n');
                sb.append(name).append("_count").append(labels(f.pool, s, null)).append(' ').append(cumulative)
                        .append('\n');
            }
        }
    }

    private static String labels(Pool p, Server s, String le) {
        return "{pool=\"" + p.name + "\",server=\"" + s.name + "\",state=\"" + s.state() + "\""
                + (le == null ? "" : ",le=\"" + le + "\"") + "}";
    }
}
