package dev.l7splice.demo.spring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The proxy controller in this JVM without the agent, in front of a stub origin: bytes and headers passed on. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpringProxyAppTest {

    private static final int SIZE = 3 * 65536 + 17;

    @Test
    void proxiesTheOriginsBodyWithItsLengthAndChecksumHeader() throws Exception {
        byte[] body = new byte[SIZE];
        new Random(7).nextBytes(body);
        HttpServer origin = origin(body);
        try (ConfigurableApplicationContext app = SpringApplication.run(SpringProxyApp.class,
                SpringProxyApp.bootArguments(new String[] {"--backend", "127.0.0.1:" + origin.getAddress().getPort()})
                        .toArray(String[]::new))) {
            int port = SpringProxyApp.port(app);
            HttpURLConnection c = get(port, "/proxy/" + SIZE);
            assertEquals(200, c.getResponseCode());
            assertEquals(SIZE, c.getContentLengthLong());
            assertEquals("sha-of-" + SIZE, c.getHeaderField("X-Body-SHA256"));
            try (InputStream in = c.getInputStream()) {
                assertArrayEquals(body, in.readAllBytes());
            }
            assertEquals(502, get(port, "/proxy/5").getResponseCode(), "an upstream 404 is a bad gateway");
        } finally {
            origin.stop(0);
        }
    }

    @Test
    void argumentsBecomeQuietLoopbackBootProperties() {
        List<String> boot = SpringProxyApp.bootArguments(new String[] {"--backend", "127.0.0.1:9", "--port", "8181"});
        assertTrue(boot.containsAll(List.of("--server.port=8181", "--server.address=127.0.0.1",
                "--l7demo.backend=127.0.0.1:9", "--logging.level.root=warn", "--spring.main.banner-mode=off")), boot.toString());
        assertTrue(SpringProxyApp.bootArguments(new String[] {"--backend", "h:1"}).contains("--server.port=0"));
        assertThrows(IllegalArgumentException.class, () -> SpringProxyApp.bootArguments(new String[0]));
        assertThrows(IllegalArgumentException.class, () -> SpringProxyApp.bootArguments(new String[] {"--backend"}));
        assertThrows(IllegalArgumentException.class, () -> SpringProxyApp.bootArguments(new String[] {"--x", "1"}));
    }

    /** Serves {@code /bytes/SIZE} (the body, fixed length, a checksum header); any other path is a 404. */
    private static HttpServer origin(byte[] body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", ex -> {
            if (!ex.getRequestURI().getPath().equals("/bytes/" + body.length)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            ex.getResponseHeaders().add("X-Body-SHA256", "sha-of-" + body.length);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private static HttpURLConnection get(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setReadTimeout(30_000);
        return c;
    }
}
