package dev.l7splice.agent.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real Apache HttpClient 5.6.5 classic bodies as sources into a server sink (com.sun.net.httpserver's):
 * a declared length spliced and the pooled connection reused for the next request, a body to end of
 * stream, a body cut short failing with the library's own exception.
 */
@Timeout(60)
class HttpClientSourceTest {

    private static final int SIZE = 3_000_017;
    private final HookFixture fixture = new HookFixture();
    private final byte[] body = new byte[SIZE];

    HttpClientSourceTest() {
        new Random(12).nextBytes(body);
    }

    @Test
    void contentLengthBodiesAreSplicedAndTheConnectionIsReused() throws Exception {
        try (TinyOrigin origin = new TinyOrigin(body); CloseableHttpClient client = HttpClients.createDefault()) {
            for (int i = 0; i < 3; i++) {
                assertEquals("ok", proxyOnce(client, origin.url("/fixed")));
            }
            assertEquals(1, origin.accepted.get(), "the pooled connection is reused");
        }
        assertTrue(fixture.counters.bytesSpliced.sum() > 3L * (SIZE - 200_000), fixture.counters.summary());
    }

    @Test
    void bodiesToEndOfStreamAreSpliced() throws Exception {
        try (TinyOrigin origin = new TinyOrigin(body); CloseableHttpClient client = HttpClients.createDefault()) {
            assertEquals("ok", proxyOnce(client, origin.url("/eof")));
        }
        assertTrue(fixture.counters.bytesSpliced.sum() > SIZE - 200_000, fixture.counters.summary());
    }

    @Test
    void aBodyCutShortFailsAsTheLibraryFails() throws Exception {
        try (TinyOrigin origin = new TinyOrigin(body); CloseableHttpClient client = HttpClients.createDefault()) {
            String outcome = proxyOnce(client, origin.url("/cut"));
            assertTrue(outcome.startsWith("org.apache.hc.core5.http.ConnectionClosedException: Premature end of Content-Length"),
                    outcome);
        }
    }

    @Test
    void aBodyIntoAStreamNoSinkServesIsNamedAsSinkUnsupported() throws Exception {
        SocketTransferHook hook = fixture.hook("");
        try (TinyOrigin origin = new TinyOrigin(body); CloseableHttpClient client = HttpClients.createDefault();
             ClassicHttpResponse r = client.executeOpen(null, new HttpGet(origin.url("/fixed")), null)) {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            InputStream in = r.getEntity().getContent();
            assertEquals(-1L, hook.transferTo(in, copy));
            in.transferTo(copy);
            assertArrayEquals(body, copy.toByteArray());
        }
        assertEquals(1L, fixture.counters.fallbacks("sink-unsupported:java.io.ByteArrayOutputStream"), fixture.counters.summary());
    }

    /** One request through a proxy handler that copies the upstream body with the hook; "ok", or the handler's failure. */
    private String proxyOnce(CloseableHttpClient client, String upstream) throws Exception {
        SocketTransferHook hook = fixture.hook("splice.min-bytes=0");
        AtomicReference<String> outcome = new AtomicReference<>("none");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ClassicHttpResponse r = client.executeOpen(null, new HttpGet(upstream), null)) {
                ex.sendResponseHeaders(200, SIZE);
                try (OutputStream out = ex.getResponseBody(); InputStream in = r.getEntity().getContent()) {
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
