package dev.l7splice.agent.relay;

import dev.l7splice.agent.bootstrap.ConnectHook;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Transparent routes learnt from the sidecar (ROUTES frame): a connection the application opens to
 * one of the pool addresses declared in the relay's configuration ({@code route HOST:PORT}) goes to
 * that pool's listener on the relay instead, which picks a server and splices both directions.
 * Matched on the host as the application wrote it (a name or a literal) and on the resolved
 * address. Empty while the sidecar is away: connections then go where the application said.
 * Thread contract: replaced whole (volatile); read on application threads at every connect.
 */
public final class RouteTable implements ConnectHook {

    private volatile Map<String, InetSocketAddress> routes = Map.of();

    /** Parses "HOST:PORT=RELAYPORT" lines; bad lines are skipped (the relay validated them). */
    public void update(String text) {
        Map<String, InetSocketAddress> next = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.lastIndexOf('=');
            int colon = eq < 0 ? -1 : line.lastIndexOf(':', eq);
            if (colon <= 0) {
                continue;
            }
            try {
                int relayPort = Integer.parseInt(line.substring(eq + 1).trim());
                String host = literal(unbracket(line.substring(0, colon)).toLowerCase(Locale.ROOT));
                int port = Integer.parseInt(line.substring(colon + 1, eq));
                next.put(host + ":" + port, new InetSocketAddress("127.0.0.1", relayPort));
            } catch (NumberFormatException e) {
                // skip it
            }
        }
        routes = Map.copyOf(next);
    }

    public void clear() {
        routes = Map.of();
    }

    public int size() {
        return routes.size();
    }

    @Override
    public SocketAddress route(SocketAddress requested) {
        Map<String, InetSocketAddress> r = routes;
        if (r.isEmpty() || !(requested instanceof InetSocketAddress)) {
            return requested;
        }
        InetSocketAddress a = (InetSocketAddress) requested;
        InetSocketAddress to = r.get(a.getHostString().toLowerCase(Locale.ROOT) + ":" + a.getPort());
        if (to == null && a.getAddress() != null) {
            to = r.get(a.getAddress().getHostAddress() + ":" + a.getPort());
        }
        return to != null ? to : requested;
    }

    /** An IP literal in the form getHostAddress() gives (::1 -> 0:0:0:0:0:0:0:1); names stay as they are. */
    private static String literal(String h) {
        if (h.indexOf(':') >= 0 || h.matches("[0-9.]+")) {
            try {
                return java.net.InetAddress.getByName(h).getHostAddress(); // a literal: no lookup
            } catch (java.net.UnknownHostException e) {
                return h;
            }
        }
        return h;
    }

    private static String unbracket(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
