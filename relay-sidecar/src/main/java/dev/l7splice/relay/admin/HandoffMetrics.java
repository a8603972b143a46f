package dev.l7splice.relay.admin;

import dev.l7splice.relay.runtime.Relay;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sidecar's hand-off figures for the admin endpoint: the table of transfers in flight for
 * /stats and the relay-wide series for /metrics. Reads lock-free counters (admin threads).
 */
final class HandoffMetrics {

    private HandoffMetrics() {
    }

    static String table(Relay relay) {
        StringBuilder sb = new StringBuilder("id\tfrom\tto\tbytes\tstate\tage_ms\n");
        Map<Long, Relay.Entry> sorted = new TreeMap<>(relay.inFlight);
        sorted.forEach((id, e) -> sb.append(id).append('\t').append(e.from).append('\t').append(e.to).append('\t')
                .append(e.transfer.moved()).append('\t').append(e.transfer.state()).append('\t')
                .append(e.transfer.ageMillis()).append('\n'));
        return sb.toString();
    }

    static String prometheus(Relay relay) {
        StringBuilder sb = new StringBuilder();
        gauge(sb, "l7relay_transfers_active", "Transfers in flight.", relay.active());
        sb.append("# HELP l7relay_transfers_total Transfers by how they ended or were answered.\n")
                .append("# TYPE l7relay_transfers_total counter\n")
                .append("l7relay_transfers_total{result=\"accepted\"} ").append(relay.accepted.get()).append('\n')
                .append("l7relay_transfers_total{result=\"refused\"} ").append(relay.refused.get()).append('\n')
                .append("l7relay_transfers_total{result=\"done\"} ").append(relay.done.get()).append('\n')
                .append("l7relay_transfers_total{result=\"failed\"} ").append(relay.failed.get()).append('\n');
        counter(sb, "l7relay_spliced_bytes_total", "Bytes moved with splice(2).", relay.bytesSpliced.get());
        counter(sb, "l7relay_copied_bytes_total", "Bytes copied through user space: no pipe to be had (pipes-max).",
                relay.bytesCopied());
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
}
