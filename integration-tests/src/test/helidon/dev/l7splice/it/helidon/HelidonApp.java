package dev.l7splice.it.helidon;

import dev.l7splice.it.support.RequestHead;
import dev.l7splice.it.tomcat.AgentMBean;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.FileSystemHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import java.io.BufferedInputStream;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Helidon 4.5 SE server (its own JVM, Java 21+, HTTP/1.1, every request on a virtual thread) whose
 * handlers copy bodies the ways applications do, unchanged, all into {@code res.outputStream()}:
 *
 * <pre>
 *   GET /static/body-SIZE                   Helidon's static-content handler over the files' directory
 *   GET /file/SIZE?mode=fixed|chunked[&amp;declared=N]   Files.newInputStream(file).transferTo(res.outputStream())
 *   GET /proxy/SIZE?mode=...                the demo origin's body (first argument: its port), BufferedInputStream over a socket
 *   GET /url/fixed|chunked/SIZE?mode=...    the keep-alive upstream (second argument) through HttpURLConnection
 *   GET /webclient/fixed|chunked/SIZE?mode=...   the same upstream through Helidon's WebClient
 *   GET /wrapped/SIZE                       a file into res.streamFilter's pass-through wrapper
 *   GET /stats                              "files=N spliced=N copied=N fallbacks=[...] fds=N"
 *   GET /outcomes                           one "PATH ok|EXCEPTION" line per copying request
 * </pre>
 * mode=fixed sets Content-Length SIZE (or declared=N: a mismatch) before the stream is taken;
 * chunked leaves the framing to Helidon. Usage: {@code HelidonApp ORIGIN_PORT UPSTREAM_PORT}; prints
 * "READY port=N". Listener options as system properties: {@code app.useNio} (default true, Helidon's), {@code app.writeQueue}
 * (default 0, Helidon's: writes go straight to the socket), {@code app.gzip} ({@link AppGzip}),
 * {@code app.keyStore} (a PKCS12 key store, password "changeit": the listener is HTTPS).
 */
public final class HelidonApp {

    private static final Logger LOG = LoggerFactory.getLogger(HelidonApp.class);
    private static final List<String> OUTCOMES = new CopyOnWriteArrayList<>();

    interface Copy {
        void copy(ServerRequest req, OutputStream out, long n) throws IOException;
    }

    public static void main(String[] args) throws Exception {
        Path dir = dev.l7splice.demo.TempDirs.create("l7helidon");
        int origin = Integer.parseInt(args[0]);
        int upstream = Integer.parseInt(args[1]);
        WebClient client = WebClient.builder().baseUri("http://127.0.0.1:" + upstream).build();
        HttpRouting.Builder routing = HttpRouting.builder()
                .register("/static", StaticContentFeature.createService(FileSystemHandlerConfig.builder().location(dir).build()))
                .get("/file/{n}", copying((req, out, n) -> {
                    try (InputStream in = Files.newInputStream(AppSupport.file(dir, n))) {
                        in.transferTo(out);
                    }
                }))
                .get("/proxy/{n}", copying((req, out, n) -> {
                    try (Socket o = new Socket(InetAddress.getLoopbackAddress(), origin)) {
                        o.getOutputStream().write(("GET /bytes/" + n + "?sha=0 HTTP/1.1\r\nHost: o\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        InputStream in = new BufferedInputStream(o.getInputStream());
                        RequestHead.readText(in);
                        in.transferTo(out);
                    }
                }))
                .get("/url/{kind}/{n}", copying((req, out, n) -> {
                    String path = "/" + req.path().pathParameters().get("kind") + "/" + n;
                    try (InputStream in = URI.create("http://127.0.0.1:" + upstream + path).toURL().openStream()) {
                        in.transferTo(out);
                    }
                }))
                .get("/webclient/{kind}/{n}", copying((req, out, n) -> {
                    String path = "/" + req.path().pathParameters().get("kind") + "/" + n;
                    try (HttpClientResponse r = client.get(path).request(); InputStream in = r.inputStream()) {
                        in.transferTo(out);
                    }
                }))
                .get("/wrapped/{n}", (req, res) -> {
                    res.streamFilter(AppSupport.PassThrough::new); // as a filter or framework might wrap the stream
                    copying((rq, out, n) -> {
                        try (InputStream in = Files.newInputStream(AppSupport.file(dir, n))) {
                            in.transferTo(out);
                        }
                    }).handle(req, res);
                })
                .get("/stats", (req, res) -> res.send(AgentMBean.line() + " fds=" + AppSupport.openFds() + "\n"))
                .get("/outcomes", (req, res) -> res.send(String.join("", OUTCOMES)));
        for (long n : new long[] {1L << 20, 256L << 20}) {
            AppSupport.file(dir, n);
        }
        // -Dapp.useNio=false: Helidon's stream sockets (PlainSocket); -Dapp.writeQueue=N: its queued writer.
        var builder = WebServer.builder().host("127.0.0.1").port(0).routing(routing)
                .useNio(Boolean.parseBoolean(System.getProperty("app.useNio", "true")))
                .writeQueueLength(Integer.getInteger("app.writeQueue", 0));
        if (Boolean.getBoolean("app.gzip")) { // Accept-Encoding: gzip answered through a GZIPOutputStream
            builder.contentEncoding(io.helidon.http.encoding.ContentEncodingContext.builder()
                    .addContentEncoding(new AppGzip()).build());
        }
        String keyStore = System.getProperty("app.keyStore"); // HTTPS only, with this PKCS12 key store ("changeit")
        if (keyStore != null) {
            javax.net.ssl.SSLContext tls = AppSupport.sslContext(Path.of(keyStore));
            builder.tls(t -> t.sslContext(tls));
        }
        WebServer server = builder.build().start();
        System.out.println("READY port=" + server.port());
    }

    /** A handler for PATH/SIZE: mode=fixed declares SIZE as Content-Length; the outcome is recorded. */
    private static Handler copying(Copy copy) {
        return (req, res) -> {
            long n = Long.parseLong(req.path().pathParameters().get("n"));
            res.headers().set(HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/octet-stream"));
            if ("fixed".equals(req.query().first("mode").orElse("chunked"))) {
                res.headers().contentLength(req.query().first("declared").map(Long::parseLong).orElse(n));
            }
            String what = req.path().path();
            try (OutputStream out = res.outputStream()) {
                copy.copy(req, out, n);
                OUTCOMES.add(what + " ok\n");
            } catch (IOException | RuntimeException e) {
                OUTCOMES.add(what + " " + e.getClass().getSimpleName() + "\n");
                LOG.debug("{} failed", what, e);
                throw e;
            }
        };
    }
}
