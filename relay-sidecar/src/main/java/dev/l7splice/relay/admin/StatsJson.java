package dev.l7splice.relay.admin;

import dev.l7splice.relay.balance.Server;
import dev.l7splice.relay.balancer.Balancing;
import dev.l7splice.relay.runtime.Relay;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /stats.json}: what the stats page draws, as one JSON object: the time, the hand-off
 * transfers in flight, and per pool its queue and per server the figures of {@code /stats}. Built
 * on the admin thread from lock-free reads (each figure is current, the whole is not one instant).
 */
final class StatsJson {

    private StatsJson() {
    }

    static String of(Relay relay, Balancing balancing) {
        StringBuilder sb = new StringBuilder("{\"now\":").append(System.currentTimeMillis()).append(",\"transfers\":[");
        Map<Long, Relay.Entry> sorted = new TreeMap<>(relay.inFlight);
        String sep = "";
        for (Map.Entry<Long, Relay.Entry> e : sorted.entrySet()) {
            Relay.Entry t = e.getValue();
            sb.append(sep).append("{\"id\":").append(e.getKey()).append(",\"from\":").append(string(t.from))
                    .append(",\"to\":").append(string(t.to)).append(",\"bytes\":").append(t.transfer.moved())
                    .append(",\"state\":").append(string(String.valueOf(t.transfer.state())))
                    .append(",\"ageMs\":").append(t.transfer.ageMillis()).append('}');
            sep = ",";
        }
        sb.append("],\"pools\":[");
        sep = "";
        for (var f : balancing.frontends().values()) {
            sb.append(sep).append("{\"name\":").append(string(f.pool.name)).append(",\"queued\":")
                    .append(f.pool.queued()).append(",\"servers\":[");
            String ssep = "";
            for (Server s : f.pool.servers()) {
                sb.append(ssep).append(server(s));
                ssep = ",";
            }
            sb.append("]}");
            sep = ",";
        }
        return sb.append("]}\n").toString();
    }

    private static String server(Server s) {
        return "{\"name\":" + string(s.name) + ",\"address\":" + string(s.host + ":" + s.port)
                + ",\"state\":" + string(s.state()) + ",\"weight\":" + s.weight()
                + ",\"configuredWeight\":" + s.configuredWeight() + ",\"active\":" + s.active()
                + ",\"connections\":" + s.stats.connections.get()
                + ",\"connectFailures\":" + s.stats.connectFailures.get()
                + ",\"bytesToServer\":" + s.stats.bytesToServer.get()
                + ",\"bytesToClient\":" + s.stats.bytesToClient.get()
                + ",\"lastCheck\":" + string(s.stats.lastCheck())
                + ",\"lastCheckAt\":" + s.stats.lastCheckMillis() + "}";
    }

    /** A JSON string: quotes, backslashes and control characters escaped. */
    static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
