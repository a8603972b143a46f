package dev.l7splice.relay.balancer;

import dev.l7splice.relay.config.RelayConfig;
import dev.l7splice.relay.config.RelayConfig.HostPort;
import dev.l7splice.relay.config.RelayConfig.ProxySection;
import dev.l7splice.relay.runtime.Relay;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the relay balances: frontends by name and listeners by bind address. {@link #apply}
 * starts it and, on SIGHUP, moves it to a new configuration: listeners whose bind is unchanged keep
 * their socket and switch to the new frontend, new binds open, removed binds stop accepting;
 * established connections are never touched. Thread contract: apply and drain are called by one
 * thread at a time (start-up, then the signal handler); the maps are read by the admin thread.
 */
public final class Balancing {

    private static final Logger LOG = LoggerFactory.getLogger(Balancing.class);

    public final Connector connector;
    private volatile Map<String, Frontend> frontends = Map.of();
    private final Map<HostPort, Listener> listeners = new LinkedHashMap<>();
    /** Per pool with {@code route} lines: a loopback listener the agents' routed connects reach. */
    private final Map<String, Listener> routeListeners = new LinkedHashMap<>();
    private static final HostPort ROUTE_BIND = new HostPort("127.0.0.1", 0);

    public Balancing(Relay relay) {
        connector = new Connector(relay);
    }

    public Map<String, Frontend> frontends() {
        return frontends;
    }

    public synchronized List<Listener> listeners() {
        return new ArrayList<>(listeners.values());
    }

    /** Applies a configuration; on a bind error nothing of the new configuration stays open. */
    public synchronized void apply(RelayConfig config) throws IOException {
        Map<String, Frontend> old = frontends;
        Map<String, Frontend> next = new LinkedHashMap<>();
        for (ProxySection p : config.proxies()) {
            next.put(p.name(), FrontendFactory.build(p, old.get(p.name())));
        }
        Map<HostPort, Listener> opened = new LinkedHashMap<>();
        try {
            for (Frontend f : next.values()) {
                for (HostPort b : f.section.binds()) {
                    if (!listeners.containsKey(b)) {
                        opened.put(b, new Listener(b, f, connector));
                    }
                }
            }
        } catch (IOException e) {
            opened.values().forEach(Listener::close);
            next.values().forEach(Frontend::stop);
            throw e;
        }
        Map<HostPort, Frontend> byBind = new LinkedHashMap<>();
        next.values().forEach(f -> f.section.binds().forEach(b -> byBind.put(b, f)));
        for (var it = listeners.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Frontend f = byBind.get(e.getKey());
            if (f == null) {
                e.getValue().close();
                it.remove();
                LOG.info("stopped listening on {}", e.getKey());
            } else {
                e.getValue().frontend(f);
            }
        }
        listeners.putAll(opened);
        applyRoutes(next);
        frontends = next;
        old.values().forEach(Frontend::stop);
    }

    private void applyRoutes(Map<String, Frontend> next) throws IOException {
        for (var it = routeListeners.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Frontend f = next.get(e.getKey());
            if (f == null || f.section.routes().isEmpty()) {
                e.getValue().close();
                it.remove();
            } else {
                e.getValue().frontend(f);
            }
        }
        for (Frontend f : next.values()) {
            if (!f.section.routes().isEmpty() && !routeListeners.containsKey(f.name())) {
                routeListeners.put(f.name(), new Listener(ROUTE_BIND, f, connector));
            }
        }
    }

    /** "HOST:PORT=RELAYPORT" lines for the agents (the ROUTES frame). */
    public synchronized String routesText() {
        StringBuilder sb = new StringBuilder();
        routeListeners.forEach((pool, l) -> {
            for (HostPort r : l.frontend().section.routes()) {
                sb.append(r).append('=').append(l.port()).append('\n');
            }
        });
        return sb.toString();
    }

    /** SIGTERM: stop accepting everywhere; established connections go on. */
    public synchronized void stopAccepting() {
        listeners.values().forEach(Listener::close);
        listeners.clear();
        routeListeners.values().forEach(Listener::close);
        routeListeners.clear();
        frontends.values().forEach(Frontend::stop);
    }

    /** Route hand-off: the pool's frontend serves the client, with an HTTP 503 when no server can. */
    public boolean route(int clientFd, String pool, byte[] head, Relay.Ended ended) {
        Frontend f = frontends.get(pool);
        if (f == null) {
            return false;
        }
        connector.serve(clientFd, f, f.keyOf(clientFd, head), head, true, ended);
        return true;
    }

    /** Balanced connections established now. */
    public int open() {
        return connector.open.get();
    }
}
