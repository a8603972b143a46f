package dev.l7splice.demo.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.demo.load.LoadClient;
import dev.l7splice.demo.load.LoadOptions;
import dev.l7splice.demo.load.LoadResult;
import dev.l7splice.demo.origin.OriginOptions;
import dev.l7splice.demo.origin.OriginServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Origin and gateways started in-process on ephemeral ports, driven through LoadClient and raw sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayEndToEndTest {

    private static OriginServer origin;
    private static Gateway perConnection;
    private static Gateway pooled;
    private static int originPort;
    private static int gatewayPort;
    private static int pooledPort;

    @BeforeAll
    static void startServers() throws IOException {
        origin = new OriginServer(OriginOptions.ephemeral("test-origin"));
        originPort = origin.start();
        perConnection = new Gateway(GatewayOptions.ephemeral(originPort, 0));
        gatewayPort = perConnection.start();
        pooled = new Gateway(GatewayOptions.ephemeral(originPort, 2));
        pooledPort = pooled.start();
    }

    @AfterAll
    static void stopServers() throws IOException {
        pooled.close();
        perConnection.close();
        origin.close();
    }

    @Test
    void getThroughTheGatewayIsVerified() throws InterruptedException {
        LoadResult r = LoadClient.run(new LoadOptions().port(gatewayPort).path("/bytes/1000000").verify(true));
        assertEquals(1, r.ok(), r.summaryLine() + " " + r.firstFailure());
        assertEquals(1_000_000, r.bytes());
    }

    @Test
    void uploadThroughTheGatewayIsVerified() throws InterruptedException {
        LoadResult r = LoadClient.run(new LoadOptions().port(gatewayPort).path("/sink").upload(3_000_000).verify(true));
        assertEquals(1, r.ok(), r.summaryLine() + " " + r.firstFailure());
        assertEquals(3_000_000, r.bytes());
    }

    @Test
    void pooledGatewayQueuesConcurrentRequests() throws InterruptedException {
        LoadResult r = LoadClient.run(new LoadOptions().port(pooledPort).path("/bytes/300000")
                .requests(12).concurrency(4).verify(true));
        assertEquals(12, r.ok(), r.summaryLine() + " " + r.firstFailure());
    }

    @Test
    void chunkedUploadIsDecodedByTheOrigin() throws IOException {
        byte[] body = BodyPattern.stream(100_000).readAllBytes();
        String response;
        try (Socket s = new Socket("127.0.0.1", gatewayPort)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /sink HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(60_000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, 0, 60_000);
            out.write(("\r\n" + Integer.toHexString(40_000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, 60_000, 40_000);
            out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertTrue(response.contains("X-Body-SHA256: " + BodyPattern.sha256Hex(100_000) + "\r\n"), response);
        assertTrue(response.contains("Via: 1.1 l7demo-gateway\r\n"), response);
    }

    @Test
    void gatewayForwardsHeadersAndStatus() throws IOException {
        String response = rawGet(gatewayPort, "GET /nothing-here HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 404 "), response);
        assertTrue(response.contains("X-Origin: test-origin\r\n"), response);
        assertEquals(1, count(response, "Connection:"), response);
        String health = rawGet(gatewayPort, "GET /health HTTP/1.1\r\nHost: t\r\n\r\n");
        assertTrue(health.startsWith("HTTP/1.1 200 ") && health.endsWith("\r\n\r\nok\n"), health);
    }

    @Test
    void badRequestHeadIs400() throws IOException {
        String response = rawGet(gatewayPort, "GET / HTTP/1.1\r\nNo colon here\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
    }

    @Test
    void unreachableBackendIs502() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        try (Gateway broken = new Gateway(GatewayOptions.ephemeral(deadPort, 0))) {
            String response = rawGet(broken.start(), "GET /bytes/10 HTTP/1.1\r\nHost: t\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 502 "), response);
            assertEquals(1, broken.errors());
        }
    }

    @Test
    void missingChecksumHeaderFailsVerification() throws InterruptedException {
        LoadResult r = LoadClient.run(new LoadOptions().port(gatewayPort).path("/bytes/1000?sha=0").verify(true));
        assertEquals(1, r.failed());
        assertTrue(r.firstFailure().contains("X-Body-SHA256"), r.firstFailure());
    }

    private static String rawGet(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
