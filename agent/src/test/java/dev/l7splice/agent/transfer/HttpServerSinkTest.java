package dev.l7splice.agent.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.l7splice.agent.runtime.Counters;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** com.sun.net.httpserver fixed-length bodies from files through the hook; two responses on one connection. */
@Timeout(60)
class HttpServerSinkTest {

    @TempDir
    Path dir;

    private final HookFixture fixture = new HookFixture();
    private final Counters counters = fixture.counters;

    @Test
    void fileBodiesMoveInTheKernelAndKeepAliveStillWorks() throws Exception {
        SocketTransferHook hook = fixture.hook("");
        byte[] body = new byte[2_000_003];
        new Random(9).nextBytes(body);
        Path file = Files.write(dir.resolve("body"), body);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody(); FileInputStream in = new FileInputStream(file.toFile())) {
                if (hook.transferTo(in, out) != body.length) {
                    throw new IOException("not offloaded");
                }
            }
        });
        server.start();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            for (int i = 0; i < 2; i++) {
                s.getOutputStream().write("GET /f HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String head = readHead(s.getInputStream());
                assertEquals(true, head.startsWith("HTTP/1.1 200"), head);
                assertArrayEquals(body, s.getInputStream().readNBytes(body.length));
            }
        } finally {
            server.stop(0);
        }
        assertEquals(2L * body.length, counters.bytesFromFiles.sum());
    }

    @Test
    void socketBodiesAreSplicedIntoTheResponseAndTheServerKeepsCount() throws Exception {
        SocketTransferHook hook = fixture.hook("splice.min-bytes=0");
        byte[] body = new byte[3_000_001];
        new Random(4).nextBytes(body);
        byte[] trailer = "TRAILER".getBytes(StandardCharsets.US_ASCII);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            boolean bounded = ex.getRequestURI().getPath().endsWith("bounded");
            try (SocketPair origin = new SocketPair()) {
                Thread w = new Thread(() -> {
                    try {
                        origin.server.getOutputStream().write(body);
                        if (bounded) {
                            origin.server.getOutputStream().write(trailer);
                        }
                        origin.server.shutdownOutput();
                    } catch (IOException ignored) {
                        // the response then comes up short and the test fails
                    }
                });
                w.start();
                java.io.BufferedInputStream in = new java.io.BufferedInputStream(origin.client.getInputStream());
                in.read(new byte[10]); // part of the body sits in the buffer
                ex.sendResponseHeaders(200, body.length - 10);
                try (OutputStream out = ex.getResponseBody()) {
                    long n = bounded ? hook.transfer(in, out, body.length - 10) : hook.transferTo(in, out);
                    if (n != body.length - 10 || bounded && !java.util.Arrays.equals(trailer, in.readAllBytes())) {
                        throw new IOException("wrong count or trailer: " + n);
                    }
                }
            }
        });
        server.start();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            for (String path : new String[] {"/all", "/bounded"}) {
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String head = readHead(s.getInputStream());
                assertEquals(true, head.startsWith("HTTP/1.1 200"), head);
                assertArrayEquals(java.util.Arrays.copyOfRange(body, 10, body.length),
                        s.getInputStream().readNBytes(body.length - 10));
            }
        } finally {
            server.stop(0);
        }
        assertEquals(true, counters.bytesSpliced.sum() > 2L * (body.length - 100_000), counters.summary());
    }

    @Test
    void aDeclaredLengthBelowMinBytesIsLeftBeforeEitherEndIsResolved() throws Exception {
        SocketTransferHook hook = fixture.hook("");
        byte[] body = new byte[300_000];
        new Random(5).nextBytes(body);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            // A source no end serves: resolving it counts source-unsupported, so the count says whether it was.
            int n = ex.getRequestURI().getPath().endsWith("short") ? 65_536 : body.length;
            ex.sendResponseHeaders(200, n);
            try (OutputStream out = ex.getResponseBody()) {
                java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(body, 0, n);
                if (hook.transferTo(in, out) != dev.l7splice.agent.bootstrap.TransferHook.NOT_HANDLED) {
                    throw new IOException("taken");
                }
                in.transferTo(out); // the application's own copy, as the prologue would run it
            }
        });
        server.start();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            for (String path : new String[] {"/short", "/long"}) {
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertEquals(true, readHead(s.getInputStream()).startsWith("HTTP/1.1 200"), path);
                int n = path.equals("/short") ? 65_536 : body.length;
                assertArrayEquals(java.util.Arrays.copyOf(body, n), s.getInputStream().readNBytes(n), path);
            }
        } finally {
            server.stop(0);
        }
        assertEquals(1, counters.fallbacks("source-unsupported:java.io.ByteArrayInputStream"),
                "only the body longer than sink.min-bytes had its source looked at: " + counters.summary());
        assertEquals(0L, counters.bytesSpliced.sum() + counters.bytesFromFiles.sum());
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
