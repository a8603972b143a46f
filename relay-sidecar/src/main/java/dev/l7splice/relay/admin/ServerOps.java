package dev.l7splice.relay.admin;

import dev.l7splice.relay.balance.Pool;
import dev.l7splice.relay.balance.Server;
import dev.l7splice.relay.balancer.Balancing;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Runtime operations on one server, HAProxy's runtime API in HTTP form:
 * {@code POST /servers/POOL/SERVER?state=ready|drain|maint}, {@code ?weight=0..256},
 * {@code ?health=up|down} (force the health state until the next check says otherwise). A drained
 * server keeps its connections and gets no new ones; maint also leaves the rotation. Changes last
 * until the next one or a reload that changes the server.
 */
final class ServerOps {

    record Result(int status, String body) {
    }

    private ServerOps() {
    }

    static Result handle(String method, URI uri, Balancing balancing) {
        String[] parts = uri.getPath().split("/");
        if (parts.length != 4) {
            return new Result(404, "use /servers/POOL/SERVER\n");
        }
        var f = balancing.frontends().get(parts[2]);
        Server s = f == null ? null : f.pool.server(parts[3]);
        if (s == null) {
            return new Result(404, "no server " + parts[3] + " in pool " + parts[2] + "\n");
        }
        Pool pool = f.pool;
        if (method.equals("GET")) {
            return new Result(200, describe(s));
        }
        if (!method.equals("POST")) {
            return new Result(405, "GET or POST\n");
        }
        String query = uri.getRawQuery();
        if (query == null) {
            return new Result(400, "give state=ready|drain|maint, weight=N or health=up|down\n");
        }
        for (String kv : query.split("&")) {
            int eq = kv.indexOf('=');
            String k = eq < 0 ? kv : kv.substring(0, eq);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            try {
                apply(pool, s, k, v);
            } catch (IllegalArgumentException e) {
                return new Result(400, e.getMessage() + "\n");
            }
        }
        return new Result(200, describe(s));
    }

    private static void apply(Pool pool, Server s, String k, String v) {
        switch (k) {
            case "state":
                switch (v) {
                    case "ready": pool.setAdmin(s, Server.AdminState.READY); return;
                    case "drain": pool.setAdmin(s, Server.AdminState.DRAIN); return;
                    case "maint": pool.setAdmin(s, Server.AdminState.MAINT); return;
                    default: throw new IllegalArgumentException("state must be ready, drain or maint, got " + v);
                }
            case "weight":
                int w;
                try {
                    w = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("weight must be a number 0..256, got " + v);
                }
                pool.setWeight(s, w);
                return;
            case "health":
                if (v.equals("up")) {
                    pool.markUp(s, "set by admin");
                } else if (v.equals("down")) {
                    pool.markDown(s, "set by admin");
                } else {
                    throw new IllegalArgumentException("health must be up or down, got " + v);
                }
                return;
            default:
                throw new IllegalArgumentException("unknown operation " + k + " (state, weight, health)");
        }
    }

    private static String describe(Server s) {
        return s.name + " " + s.host + ":" + s.port + " state=" + s.state() + " weight=" + s.weight() + "/"
                + s.configuredWeight() + " active=" + s.active() + "\n";
    }
}
