package dev.l7splice.relay.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * The admin endpoint over TCP (HTTP; bind it to loopback): every path answered by
 * {@link AdminPages}, the server operations only with the credential {@link AdminAccess} asks for.
 * Handlers run on the HttpServer's thread.
 */
public final class AdminServer {

    private final HttpServer server;

    public AdminServer(String host, int port, AdminPages pages) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/", ex -> send(ex, pages.answer(ex.getRequestMethod(), ex.getRequestURI(),
                ex.getRequestHeaders(), String.valueOf(ex.getRemoteAddress()), false)));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void stop() {
        server.stop(0);
    }

    private static void send(HttpExchange ex, AdminPages.Answer a) throws IOException {
        a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.getResponseHeaders().set("Content-Type", a.type());
        ex.sendResponseHeaders(a.status(), a.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(a.body());
        }
    }
}
