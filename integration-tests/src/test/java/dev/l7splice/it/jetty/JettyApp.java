package dev.l7splice.it.jetty;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.RequestHead;
import dev.l7splice.it.tomcat.AgentMBean;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * An embedded Jetty 12 (ee10 servlets; its own JVM, HTTP/1.1) whose servlets copy bodies the ways
 * applications do, all with {@code transferTo} into {@code response.getOutputStream()}:
 *
 * <pre>
 *   GET /file/SIZE?mode=fixed|chunked[&amp;declared=N]   Files.newInputStream(file).transferTo(out); fixed sets
 *                                        Content-Length SIZE (or N: a mismatch)
 *   GET /proxy/SIZE?mode=...             the origin's body (first argument: its port) through a BufferedInputStream over a socket
 *   GET /url/fixed|chunked|eof/SIZE?mode=...[&amp;declared=N]   the keep-alive upstream (second argument) through HttpURLConnection
 *   GET /wrapped/SIZE                    a file into a pass-through FilterOutputStream over Jetty's stream
 *   GET /static/body-SIZE                Jetty's own DefaultServlet
 *   GET /gz/file/SIZE?mode=...           the /file servlet behind a GzipHandler
 *   GET /stats                           "files=N spliced=N ... tls=PORT fds=N" (the agent's MBean, open fds)
 *   GET /requestlog                      Jetty's CustomRequestLog so far, one "%U %O" line per request
 *   GET /outcomes                        one "PATH ok|EXCEPTION" line per copying request
 * </pre>
 * Idle timeout 3 s on every connector. Usage: {@code JettyApp ORIGIN_PORT UPSTREAM_PORT [KEY_STORE]}
 * (a key store adds an HTTPS connector, port {@code tls}); prints "READY port=N".
 */
public final class JettyApp {

    private static final Map<Long, Path> FILES = new ConcurrentHashMap<>();
    private static final List<String> LOG = new CopyOnWriteArrayList<>();
    private static final List<String> OUTCOMES = new CopyOnWriteArrayList<>();

    public static void main(String[] args) throws Exception {
        Path dir = dev.l7splice.demo.TempDirs.create("l7jetty");
        int origin = Integer.parseInt(args[0]);
        int upstream = Integer.parseInt(args[1]);
        Server server = new Server(threadPool());
        ServerConnector plain = new ServerConnector(server);
        connector(plain);
        server.addConnector(plain);
        ServerConnector tls = args.length > 2 ? tlsConnector(server, args[2]) : null;
        ServletContextHandler main = new ServletContextHandler("/");
        ServletContextHandler gz = new ServletContextHandler("/gz");
        for (ServletContextHandler ctx : List.of(main, gz)) {
            servlet(ctx, "/file/*", (req, resp, n) -> {
                try (InputStream in = Files.newInputStream(file(dir, n))) {
                    in.transferTo(resp.getOutputStream());
                }
            });
        }
        servlet(main, "/proxy/*", (req, resp, n) -> {
            try (Socket o = new Socket(InetAddress.getLoopbackAddress(), origin)) {
                o.getOutputStream().write(("GET /bytes/" + n + "?sha=0 HTTP/1.1\r\nHost: o\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = new BufferedInputStream(o.getInputStream());
                RequestHead.readText(in);
                in.transferTo(resp.getOutputStream());
            }
        });
        servlet(main, "/url/*", (req, resp, n) -> {
            // HttpURLConnection, as a proxy servlet would use it; closing the body gives the connection back to the JDK's cache.
            try (InputStream in = URI.create("http://127.0.0.1:" + upstream + req.getPathInfo()).toURL().openStream()) {
                in.transferTo(resp.getOutputStream());
            }
        });
        servlet(main, "/wrapped/*", (req, resp, n) -> {
            try (InputStream in = Files.newInputStream(file(dir, n))) {
                in.transferTo(new PassThrough(resp.getOutputStream()));
            }
        });
        for (long n : new long[] {1L << 20, 64L << 20}) {
            file(dir, n);
        }
        main.setBaseResourceAsPath(dir);
        ServletHolder statics = new ServletHolder("static", DefaultServlet.class);
        statics.setInitParameter("pathInfoOnly", "true");
        statics.setInitParameter("dirAllowed", "false");
        main.addServlet(statics, "/static/*");
        main.addServlet(new ServletHolder(text(() -> AgentMBean.line() + " tls=" + (tls == null ? 0 : tls.getLocalPort())
                + " fds=" + openFds())), "/stats");
        main.addServlet(new ServletHolder(text(() -> String.join("", LOG))), "/requestlog");
        main.addServlet(new ServletHolder(text(() -> String.join("", OUTCOMES))), "/outcomes");
        GzipHandler gzip = new GzipHandler();
        gzip.addIncludedMimeTypes("application/octet-stream");
        gzip.setHandler(gz);
        server.setHandler(new Handler.Sequence(gzip, main));
        server.setRequestLog(new CustomRequestLog(line -> LOG.add(line + "\n"), "%U %O"));
        server.start();
        System.out.println("READY port=" + plain.getLocalPort());
        server.join();
    }

    /**
     * Jetty's default pool, its blocking tasks (servlet requests) on virtual threads when asked with
     * {@code -Dl7it.threads=virtual}: Jetty 12's own way (a virtual-threads executor on the pool).
     */
    private static org.eclipse.jetty.util.thread.QueuedThreadPool threadPool() {
        org.eclipse.jetty.util.thread.QueuedThreadPool pool = new org.eclipse.jetty.util.thread.QueuedThreadPool();
        if (AgentMBean.virtualThreadsWanted()) {
            pool.setVirtualThreadsExecutor(dev.l7splice.demo.VirtualThreads.perTaskExecutor());
        }
        return pool;
    }

    private static void connector(ServerConnector c) {
        c.setHost("127.0.0.1");
        c.setPort(0);
        c.setIdleTimeout(3000); // also how long a blocked write waits: a stalled client is dropped after 3 s
    }

    /** HTTPS (the connection's end point is an SslEndPoint): a PKCS12 key store, password "changeit". */
    private static ServerConnector tlsConnector(Server server, String keyStore) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keyStore);
        ssl.setKeyStorePassword("changeit");
        ssl.setKeyStoreType("PKCS12");
        HttpConfiguration https = new HttpConfiguration();
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        https.addCustomizer(src);
        ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        connector(c);
        server.addConnector(c);
        return c;
    }

    interface Copy {
        void handle(HttpServletRequest req, HttpServletResponse resp, long n) throws IOException;
    }

    /** A servlet at {@code pattern}: SIZE from the path's last segment; mode=fixed sets Content-Length (SIZE or declared=N). */
    private static void servlet(ServletContextHandler ctx, String pattern, Copy h) {
        ctx.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                AgentMBean.noteRequest();
                String info = req.getPathInfo();
                long n = info == null ? 0 : Long.parseLong(info.substring(info.lastIndexOf('/') + 1));
                resp.setContentType("application/octet-stream");
                if ("fixed".equals(req.getParameter("mode"))) {
                    String declared = req.getParameter("declared");
                    resp.setContentLengthLong(declared == null ? n : Long.parseLong(declared));
                }
                String what = req.getRequestURI();
                try {
                    h.handle(req, resp, n);
                    OUTCOMES.add(what + " ok\n");
                } catch (IOException | RuntimeException e) {
                    OUTCOMES.add(what + " " + e.getClass().getSimpleName() + "\n");
                    throw e;
                }
            }
        }), pattern);
    }

    private static HttpServlet text(java.util.function.Supplier<String> body) {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                byte[] b = (body.get() + "\n").getBytes(StandardCharsets.US_ASCII);
                resp.setContentLength(b.length);
                resp.getOutputStream().write(b);
            }
        };
    }

    private static long openFds() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** A pattern file of n bytes, written once, named body-N in the static directory. */
    private static Path file(Path dir, long n) {
        return FILES.computeIfAbsent(n, k -> {
            try {
                Path f = dir.resolve("body-" + k);
                try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(f), 1 << 20)) {
                    BodyPattern.writeTo(o, k);
                }
                return f;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A wrapper the agent cannot see through (as a filter or framework might add): its body stays with the JDK. */
    static final class PassThrough extends FilterOutputStream {
        PassThrough(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }
}
