package dev.l7splice.it.tomcat;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.RequestHead;
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
import java.net.URISyntaxException;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.AccessLogValve;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * An embedded Tomcat 11 (its own JVM, NIO connector, HTTP/1.1) whose servlets copy bodies the ways
 * applications do, all with {@code transferTo} into {@code response.getOutputStream()}:
 *
 * <pre>
 *   GET /file/SIZE?mode=fixed|chunked    Files.newInputStream(file).transferTo(out); fixed sets Content-Length
 *   GET /proxy/SIZE?mode=fixed|chunked   the origin's body (the first argument: its port) through a
 *                                        BufferedInputStream over a plain socket
 *   GET /url/fixed|chunked|eof/SIZE?mode=...   the same path of the keep-alive upstream (the second
 *                                        argument: its port) through HttpURLConnection
 *   GET /wrapped/SIZE                    a file into a pass-through FilterOutputStream over Tomcat's stream
 *   GET /stats                           "files=N spliced=N ... gz=PORT tls=PORT" (the agent's MBean)
 *   GET /accesslog                       the access log so far, one "%U %b" line per request
 * </pre>
 * A second connector (port {@code gz} in /stats) compresses every response (gzip filter). Both time
 * out after 3 s (idle keep-alive and a write that makes no progress). Usage:
 * {@code TomcatApp ORIGIN_PORT [UPSTREAM_PORT [KEY_STORE]]} (a key store adds an HTTPS connector, port {@code tls}); prints "READY port=N".
 * With {@code -Dl7it.threads=virtual} every connector runs its requests on virtual threads ({@code useVirtualThreads}).
 */
public final class TomcatApp {

    private static final Map<Long, Path> FILES = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        Path dir = dev.l7splice.demo.TempDirs.create("l7tomcat");
        int origin = Integer.parseInt(args[0]);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(dir.toString());
        Connector plain = connector(false);
        tomcat.getService().addConnector(plain);
        tomcat.setConnector(plain);
        Connector gz = connector(true);
        tomcat.getService().addConnector(gz);
        Connector tls = args.length > 2 ? tlsConnector(args[2]) : null;
        if (tls != null) {
            tomcat.getService().addConnector(tls);
        }
        Context ctx = tomcat.addContext("", dir.toString());
        servlet(ctx, "/file/*", (req, resp, n) -> {
            try (InputStream in = Files.newInputStream(file(dir, n))) {
                in.transferTo(resp.getOutputStream());
            }
        });
        servlet(ctx, "/proxy/*", (req, resp, n) -> {
            try (Socket o = new Socket(InetAddress.getLoopbackAddress(), origin)) {
                o.getOutputStream().write(("GET /bytes/" + n + "?sha=0 HTTP/1.1\r\nHost: o\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = new BufferedInputStream(o.getInputStream());
                RequestHead.readText(in);
                in.transferTo(resp.getOutputStream());
            }
        });
        int upstream = args.length > 1 ? Integer.parseInt(args[1]) : -1;
        servlet(ctx, "/url/*", (req, resp, n) -> {
            // HttpURLConnection, as a proxy servlet would use it; closing the body gives the connection back to the JDK's cache.
            URLConnection c = new URI("http://127.0.0.1:" + upstream + req.getPathInfo()).toURL().openConnection();
            try (InputStream in = c.getInputStream()) {
                in.transferTo(resp.getOutputStream());
            }
        });
        servlet(ctx, "/wrapped/*", (req, resp, n) -> {
            try (InputStream in = Files.newInputStream(file(dir, n))) {
                in.transferTo(new PassThrough(resp.getOutputStream()));
            }
        });
        servlet(ctx, "/stats", (req, resp, n) -> resp.getOutputStream().write(
                (AgentMBean.line() + " gz=" + gz.getLocalPort() + " tls=" + (tls == null ? 0 : tls.getLocalPort()) + "\n")
                        .getBytes(StandardCharsets.US_ASCII)));
        servlet(ctx, "/accesslog", (req, resp, n) -> {
            try (var logs = Files.list(dir.resolve("logs"))) {
                for (Path p : logs.filter(p -> p.getFileName().toString().startsWith("access")).toList()) {
                    resp.getOutputStream().write(Files.readAllBytes(p));
                }
            }
        });
        AccessLogValve log = new AccessLogValve();
        log.setDirectory(dir.resolve("logs").toString());
        log.setPrefix("access");
        log.setSuffix(".log");
        log.setPattern("%U %b");
        log.setBuffered(false);
        log.setRotatable(false);
        tomcat.getHost().getPipeline().addValve(log);
        tomcat.start();
        System.out.println("READY port=" + plain.getLocalPort());
        tomcat.getServer().await();
    }

    private static Connector connector(boolean gzip) {
        Connector c = new Connector("HTTP/1.1");
        c.setPort(0);
        c.setProperty("address", "127.0.0.1");
        c.setProperty("connectionTimeout", "3000"); // also the write timeout: a stalled client is dropped after 3 s
        if (AgentMBean.virtualThreadsWanted()) {
            c.setProperty("useVirtualThreads", "true"); // Tomcat 11: every request on a new virtual thread
        }
        if (gzip) {
            c.setProperty("compression", "force");
            c.setProperty("compressibleMimeType", "application/octet-stream");
        }
        return c;
    }

    /** HTTPS on the NIO connector (its channel is a SecureNioChannel): a PKCS12 key store, password "changeit". */
    private static Connector tlsConnector(String keyStore) {
        Connector c = connector(false);
        c.setSecure(true);
        c.setScheme("https");
        c.setProperty("SSLEnabled", "true");
        SSLHostConfig ssl = new SSLHostConfig();
        SSLHostConfigCertificate cert = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.RSA);
        cert.setCertificateKeystoreFile(keyStore);
        cert.setCertificateKeystorePassword("changeit");
        cert.setCertificateKeystoreType("PKCS12");
        ssl.addCertificate(cert);
        c.addSslHostConfig(ssl);
        return c;
    }

    interface Handler {
        void handle(HttpServletRequest req, HttpServletResponse resp, long n) throws IOException, URISyntaxException;
    }

    /** A servlet at {@code pattern}: SIZE from the path's last segment, mode=fixed sets Content-Length first. */
    private static void servlet(Context ctx, String pattern, Handler h) {
        String name = "s" + pattern.hashCode();
        Tomcat.addServlet(ctx, name, new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                AgentMBean.noteRequest();
                String info = req.getPathInfo();
                long n = info == null ? 0 : Long.parseLong(info.substring(info.lastIndexOf('/') + 1));
                resp.setContentType("application/octet-stream");
                if ("fixed".equals(req.getParameter("mode"))) {
                    resp.setContentLengthLong(n);
                }
                try {
                    h.handle(req, resp, n);
                } catch (URISyntaxException e) {
                    throw new IOException(e);
                }
            }
        });
        ctx.addServletMappingDecoded(pattern, name);
    }

    /** A pattern file of n bytes, written once. */
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
