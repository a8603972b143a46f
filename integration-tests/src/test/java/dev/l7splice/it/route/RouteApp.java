package dev.l7splice.it.route;

import dev.l7splice.api.L7Splice;
import dev.l7splice.it.support.AcceptLoop;
import dev.l7splice.it.support.RequestHead;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A gateway that opts in with the l7splice-api: it reads each request head itself (byte by byte,
 * so nothing beyond it is held) and calls {@code L7Splice.route(client, head, POOL, FALLBACK)}.
 * Args: pool name, fallback port. Prints "READY port=N".
 */
public final class RouteApp {

    private RouteApp() {
    }

    public static void main(String[] args) throws Exception {
        String pool = args[0];
        InetSocketAddress fallback = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]));
        AcceptLoop.serveForever(200, "route-app", client -> {
            try {
                L7Splice.route(client, RequestHead.read(client.getInputStream()), pool, fallback);
                client.close(); // with the agent: deferred until the relay is done
            } catch (IOException e) {
                System.err.println("route failed: " + e);
            }
        });
    }
}
