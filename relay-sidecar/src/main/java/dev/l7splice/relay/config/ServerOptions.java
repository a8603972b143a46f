package dev.l7splice.relay.config;

import dev.l7splice.relay.config.RelayConfig.HostPort;
import dev.l7splice.relay.config.RelayConfig.ServerSpec;
import java.util.List;

/**
 * The options of a {@code server} line, and the {@code default-server} values they start from. A
 * server line copies the defaults in effect and overrides what it names. Not thread-safe (one parse).
 */
final class ServerOptions {

    static final List<String> NAMES = List.of("weight", "check", "inter", "rise", "fall", "maxconn", "slowstart",
            "send-proxy", "send-proxy-v2", "disabled");

    int weight = 1;
    boolean check;
    long interMs = 2000;
    int rise = 2;
    int fall = 3;
    int maxConn;
    long slowstartMs;
    int sendProxy;
    boolean disabled;

    ServerOptions copy() {
        ServerOptions c = new ServerOptions();
        c.weight = weight;
        c.check = check;
        c.interMs = interMs;
        c.rise = rise;
        c.fall = fall;
        c.maxConn = maxConn;
        c.slowstartMs = slowstartMs;
        c.sendProxy = sendProxy;
        c.disabled = disabled;
        return c;
    }

    /** Applies the options in {@code st}'s arguments from index {@code from} on. */
    void apply(Statement st, int from) throws ConfigException {
        boolean v1 = false;
        boolean v2 = false;
        for (int i = from; i < st.args().size(); i++) {
            String option = st.args().get(i);
            switch (option) {
                case "check": check = true; break;
                case "disabled": disabled = true; break;
                case "send-proxy": v1 = true; sendProxy = 1; break;
                case "send-proxy-v2": v2 = true; sendProxy = 2; break;
                case "weight": weight = (int) Values.integer(st, "weight ", value(st, ++i, "N"), 0, 256); break;
                case "inter": interMs = Values.duration(st, "inter ", value(st, ++i, "DURATION"), 10); break;
                case "rise": rise = (int) Values.integer(st, "rise ", value(st, ++i, "N"), 1, 100); break;
                case "fall": fall = (int) Values.integer(st, "fall ", value(st, ++i, "N"), 1, 100); break;
                case "maxconn": maxConn = (int) Values.integer(st, "maxconn ", value(st, ++i, "N"), 0, 1_000_000); break;
                case "slowstart": slowstartMs = Values.duration(st, "slowstart ", value(st, ++i, "DURATION"), 0); break;
                default:
                    throw st.error("unknown server option '" + option + "'" + Keywords.suggest(option, NAMES)
                            + " (expected " + String.join(", ", NAMES) + ")");
            }
        }
        if (v1 && v2) {
            throw st.error("send-proxy and send-proxy-v2 together (choose one PROXY protocol version)");
        }
    }

    ServerSpec toSpec(String name, HostPort address, int line) {
        return new ServerSpec(name, address, weight, check, interMs, rise, fall, maxConn, slowstartMs, sendProxy,
                disabled, line);
    }

    private static String value(Statement st, int i, String what) throws ConfigException {
        if (i >= st.args().size()) {
            throw st.error("missing argument: " + st.args().get(i - 1) + " needs " + what);
        }
        return st.args().get(i);
    }
}
