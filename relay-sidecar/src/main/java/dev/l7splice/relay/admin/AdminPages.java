package dev.l7splice.relay.admin;

import com.sun.net.httpserver.Headers;
import dev.l7splice.relay.balancer.Balancing;
import dev.l7splice.relay.runtime.Relay;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the admin endpoint answers, whichever way a request came: / (the stats page), /stats.json,
 * /ready, /stats, /metrics, and /servers/POOL/SERVER (GET one server; POST an operation, which runs
 * only for a trusted request (the admin Unix socket) or one {@link AdminAccess} lets through).
 * Thread-safe: the TCP server's and the Unix socket's threads share one.
 */
public final class AdminPages {

    private static final Logger LOG = LoggerFactory.getLogger(AdminPages.class);

    /** One answer: status, content type, body, and headers to add. */
    record Answer(int status, String type, byte[] body, Map<String, String> headers) {

        static Answer text(int status, String body) {
            return new Answer(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    private final AdminAccess access;
    private final Relay relay;
    private final Balancing balancing;
    private final byte[] page = StatsPage.html();

    public AdminPages(AdminAccess access, Relay relay, Balancing balancing) {
        this.access = access;
        this.relay = relay;
        this.balancing = balancing;
    }

    /**
     * @param headers the request's headers (for the credential)
     * @param from    who asked, for the log
     * @param trusted the request came through the admin Unix socket (mode 0600, peer uid checked)
     */
    Answer answer(String method, URI uri, Headers headers, String from, boolean trusted) {
        String path = uri.getPath();
        if (path.startsWith("/servers/")) {
            return serverOp(method, uri, headers, from, trusted);
        }
        switch (path) {
            case "/": return new Answer(200, "text/html; charset=utf-8", page, StatsPage.HEADERS);
            case "/stats.json": return new Answer(200, "application/json",
                    StatsJson.of(relay, balancing).getBytes(StandardCharsets.UTF_8), Map.of("Cache-Control", "no-store"));
            case "/ready": return Answer.text(200, "ready\n");
            case "/stats": return Answer.text(200, HandoffMetrics.table(relay) + ServerMetrics.table(balancing));
            case "/metrics": return Answer.text(200, HandoffMetrics.prometheus(relay) + ServerMetrics.prometheus(balancing));
            default: return Answer.text(404, "no such page: try /, /stats, /stats.json, /metrics, /servers/POOL/SERVER\n");
        }
    }

    private Answer serverOp(String method, URI uri, Headers headers, String from, boolean trusted) {
        if (method.equals("POST") && !trusted) {
            AdminAccess.Denial no = access.check(headers);
            if (no != null) {
                LOG.warn("admin: refused POST {} from {}: {}", uri, from, no.reason());
                Answer a = Answer.text(no.status(), no.reason() + "\n");
                return no.status() != 401 ? a
                        : new Answer(a.status(), a.type(), a.body(), Map.of("WWW-Authenticate", "Bearer realm=\"l7relay\""));
            }
        }
        ServerOps.Result r = ServerOps.handle(method, uri, balancing);
        if (method.equals("POST") && r.status() == 200) {
            LOG.info("admin: POST {} from {}", uri, from);
        }
        return Answer.text(r.status(), r.body());
    }
}
