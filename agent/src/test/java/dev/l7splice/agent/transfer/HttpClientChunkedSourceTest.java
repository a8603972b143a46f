package dev.l7splice.agent.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real chunked Apache HttpClient 5.6.5 classic and 4.5.14 bodies (random chunk sizes, a trailer) as
 * sources into a server sink (com.sun.net.httpserver's): chunk data spliced, the library's stream left
 * at its end (the sensor releases the pooled connection, reused for the next request), and an invalid
 * size line failing with the exception the library raises without the agent.
 */
@Timeout(60)
class HttpClientChunkedSourceTest {

    private static final int SIZE = 3_000_017;
    private final HookFixture fixture = new HookFixture();
    private final byte[] body = new byte[SIZE];

    /** One upstream request: its content stream, and what to close afterwards (the response). */
    interface Upstream {
        Closeable open(String url, AtomicReference<InputStream> content) throws IOException;
    }

    HttpClientChunkedSourceTest() {
        new Random(13).nextBytes(body);
    }

    private static Upstream five(CloseableHttpClient client) {
        return (url, content) -> {
            ClassicHttpResponse r = client.executeOpen(null, new org.apache.hc.client5.http.classic.methods.HttpGet(url), null);
            content.set(r.getEntity().getContent());
            return r;
        };
    }

    private static Upstream four(org.apache.http.impl.client.CloseableHttpClient client) {
        return (url, content) -> {
            org.apache.http.client.methods.CloseableHttpResponse r = client.execute(new org.apache.http.client.methods.HttpGet(url));
            content.set(r.getEntity().getContent());
            return r;
        };
    }

    @Test
    void chunkedBodiesAreSplicedAndTheConnectionIsReusedWithHttpClient5() throws Exception {
        try (TinyOrigin origin = new TinyOrigin(body); CloseableHttpClient client = HttpClients.createDefault()) {
            for (int i = 0; i < 3; i++) {
                assertEquals("ok", proxyOnce(five(client), origin.url("/chunked")));
            }
            assertEquals(1, origin.accepted.get(), "the pooled connection is reused");
        }
        // The first splice.min-bytes and what comes along with each size line (at most 256 bytes) are copied.
        assertTrue(fixture.counters.bytesSpliced.sum() > 3L * (SIZE - 100_000), fixture.counters.summary());
        assertTrue(fixture.counters.fallbacks().isEmpty(), fixture.counters.summary());
    }

    @Test
    void chunkedBodiesAreSplicedAndTheConnectionIsReusedWithHttpClient4() throws Exception {
        try (TinyOrigin origin = new TinyOrigin(body);
             org.apache.http.impl.client.CloseableHttpClient client = org.apache.http.impl.client.HttpClients.createDefault()) {
            for (int i = 0; i < 3; i++) {
                assertEquals("ok", proxyOnce(four(client), origin.url("/chunked")));
            }
            assertEquals(1, origin.accepted.get(), "the pooled connection is reused");
        }
        // The first splice.min-bytes and what comes along with each size line (at most 256 bytes) are copied.
        assertTrue(fixture.counters.bytesSpliced.sum() > 3L * (SIZE - 100_000), fixture.counters.summary());
        assertTrue(fixture.counters.fallbacks().isEmpty(), fixture.counters.summary());
    }

    @Test
    void anInvalidSizeLineFailsAsTheLibraryFails() throws Exception {
        try (TinyOrigin origin = new TinyOrigin(body); CloseableHttpClient client = HttpClients.createDefault();
             org.apache.http.impl.client.CloseableHttpClient client4 = org.apache.http.impl.client.HttpClients.createDefault()) {
            for (Upstream up : new Upstream[] {five(client), four(client4)}) {
                String alone = libraryAlone(up, origin.url("/badchunk"));
                assertTrue(alone.contains("MalformedChunkCodingException: Bad chunk header: zz"), alone);
                assertEquals(alone, proxyOnce(up, origin.url("/badchunk")));
            }
        }
    }

    /** The failure of the library's own copy of {@code url}'s body. */
    private static String libraryAlone(Upstream up, String url) throws IOException {
        AtomicReference<InputStream> content = new AtomicReference<>();
        try (Closeable r = up.open(url, content); InputStream in = content.get()) {
            in.transferTo(OutputStream.nullOutputStream());
            return "no failure";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** One request through a proxy handler that copies the upstream body with the hook; "ok", or the handler's failure. */
    private String proxyOnce(Upstream up, String url) throws Exception {
        SocketTransferHook hook = fixture.hook("");
        AtomicReference<String> outcome = new AtomicReference<>("none");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            AtomicReference<InputStream> content = new AtomicReference<>();
            try (Closeable r = up.open(url, content)) {
                ex.sendResponseHeaders(200, SIZE);
                try (OutputStream out = ex.getResponseBody(); InputStream in = content.get()) {
                    long n = hook.transferTo(in, out);
                    outcome.set(n == SIZE ? "ok" : "moved " + n);
                }
            } catch (IOException | RuntimeException e) {
                outcome.set(e.toString());
                throw e;
            }
        });
        server.start();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            s.getOutputStream().write("GET /p HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String head = readHead(s.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            byte[] got = s.getInputStream().readNBytes(SIZE);
            if (got.length == SIZE) {
                assertArrayEquals(body, got);
            }
            for (int i = 0; i < 500 && outcome.get().equals("none"); i++) {
                Thread.sleep(10); // the handler has released the connection once it set its outcome
            }
        } finally {
            server.stop(0);
        }
        return outcome.get();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("end of stream in a head: " + head);
            }
            head.write(c);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
