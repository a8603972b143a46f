package dev.l7splice.agent.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.common.socket.NioSocket;
import io.helidon.common.socket.PlainSocket;
import io.helidon.common.socket.SocketWriterDirect;
import io.helidon.webserver.http1.Http1ConnectionListenerUtil;
import io.helidon.webserver.http1.Http1ServerResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helidon sink's resolution, framing and counts against a miniature of Helidon 4.5's response
 * stream (test doubles with its class and field names; the real server runs in HelidonIT, which
 * needs Java 21): file bodies through the hook, fixed and chunked, two on one connection, a small
 * chunked body left to Helidon's Content-Length choice, an active send listener refused (a client
 * reset: {@link HelidonSinkResetTest}).
 */
@Timeout(60)
class HelidonSinkTest {

    @TempDir
    Path dir;

    private final HookFixture fixture = new HookFixture();
    private ServerSocketChannel listener;
    private Socket client;
    private SocketChannel server;
    private SocketWriterDirect writer;

    @BeforeEach
    void connect() throws Exception {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new Socket(InetAddress.getLoopbackAddress(), listener.socket().getLocalPort());
        server = listener.accept();
        writer = new SocketWriterDirect(new NioSocket(server)); // Helidon's default (use-nio)
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        server.close();
        listener.close();
    }

    @Test
    void fixedAndChunkedFileBodiesMoveInTheKernelOnOneConnection() throws Exception {
        SocketTransferHook hook = fixture.hook("");
        byte[] body = bytes(2_000_003);
        Path file = Files.write(dir.resolve("body"), body);
        for (long declared : new long[] {body.length, -1}) {
            CompletableFuture<WireResponse> read = CompletableFuture.supplyAsync(() -> WireResponse.read(client));
            OutputStream out = Http1ServerResponse.outputStream(writer, declared, Http1ConnectionListenerUtil.noOp());
            try (InputStream in = Files.newInputStream(file)) {
                assertEquals(body.length, hook.transferTo(in, out), fixture.counters.summary());
            }
            out.close(); // as a handler's try-with-resources does; then Helidon commits
            Http1ServerResponse.commit(out);
            WireResponse r = read.get(30, TimeUnit.SECONDS);
            assertEquals(declared < 0 ? "chunked" : "fixed", r.framing());
            assertArrayEquals(body, r.body());
            long[] counts = Http1ServerResponse.counts(out);
            assertEquals(declared < 0 ? 0 : body.length, counts[0], "bytesWritten counts fixed-length bodies only");
            assertEquals(r.wireBytes(), counts[1], "responseBytesTotal: every byte on the wire");
        }
        // All but one byte of the fixed body; the chunked one after Helidon's first write and a byte.
        assertEquals(2L * body.length - 1 - 16385, fixture.counters.bytesFromFiles.sum(), fixture.counters.summary());
    }

    @Test
    void aPlainSocketsChannelIsFoundUnderItsAdaptor() throws Exception {
        writer = new SocketWriterDirect(new PlainSocket(server.socket()));
        fixedAndChunkedFileBodiesMoveInTheKernelOnOneConnection();
    }

    @Test
    void aBodyOfOneWriteGetsTheContentLengthHelidonWouldChoose() throws Exception {
        SocketTransferHook hook = fixture.hook("sink.min-bytes=0"); // the sink itself, below the size it is used from
        byte[] body = bytes(4_000); // one write into Helidon's 4 KiB buffer
        Path file = Files.write(dir.resolve("small"), body);
        CompletableFuture<WireResponse> read = CompletableFuture.supplyAsync(() -> WireResponse.read(client));
        OutputStream out = Http1ServerResponse.outputStream(writer, -1, Http1ConnectionListenerUtil.noOp());
        try (InputStream in = Files.newInputStream(file)) {
            assertEquals(body.length, hook.transferTo(in, out));
        }
        out.close();
        Http1ServerResponse.commit(out);
        WireResponse r = read.get(30, TimeUnit.SECONDS);
        assertEquals("fixed", r.framing());
        assertArrayEquals(body, r.body());
        assertEquals(0L, fixture.counters.bytesFromFiles.sum());
    }

    @Test
    void aListenerThatWouldSeeTheBytesKeepsHelidonsCode() throws Exception {
        SocketTransferHook hook = fixture.hook("sink.min-bytes=0"); // a body this short is not even resolved by default
        Path file = Files.write(dir.resolve("body"), bytes(100_000));
        OutputStream out = Http1ServerResponse.outputStream(writer, 100_000, new Object());
        try (InputStream in = Files.newInputStream(file)) {
            assertEquals(-1L, hook.transferTo(in, out));
        }
        assertEquals(1L, fixture.counters.fallbacks("helidon-listener:java.lang.Object"), fixture.counters.summary());
    }

    @Test
    void switchedOffTheStreamIsNamed() throws Exception {
        SocketTransferHook hook = fixture.hook("instrumentation.helidon.enabled=false");
        Path file = Files.write(dir.resolve("body"), bytes(100_000));
        OutputStream out = Http1ServerResponse.outputStream(writer, 100_000, Http1ConnectionListenerUtil.noOp());
        try (InputStream in = Files.newInputStream(file)) {
            assertEquals(-1L, hook.transferTo(in, out));
        }
        assertTrue(fixture.counters.summary().contains("sink-unsupported:io.helidon.webserver.http1.Http1ServerResponse"),
                fixture.counters.summary());
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
