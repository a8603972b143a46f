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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.StreamUtils;

/**
 * A server sink (com.sun.net.httpserver's, the one the agent can test without a container) under
 * Spring 7's real pass-through wrappers: looked through by default, the wrapper named in
 * sink-unsupported with instrumentation.spring-wrappers.enabled=false, bytes equal either way.
 */
@Timeout(60)
class PassThroughSinkTest {

    @TempDir
    Path dir;

    private final HookFixture fixture = new HookFixture();

    @Test
    void springsWrappersAreLookedThroughToTheSink() throws Exception {
        long moved = serve("", out -> StreamUtils.nonFlushing(StreamUtils.nonClosing(out)));
        assertEquals(2_000_003L, moved);
        assertEquals(2_000_003L, fixture.counters.bytesFromFiles.sum(), fixture.counters.summary());
    }

    @Test
    void nonClosingAloneIsLookedThrough() throws Exception {
        serve("", StreamUtils::nonClosing);
        assertEquals(2_000_003L, fixture.counters.bytesFromFiles.sum(), fixture.counters.summary());
    }

    @Test
    void switchedOffTheWrapperIsNamedAndTheJdkCopies() throws Exception {
        long moved = serve("instrumentation.spring-wrappers.enabled=false", StreamUtils::nonFlushing);
        assertEquals(-1L, moved);
        assertEquals(0L, fixture.counters.bytesFromFiles.sum());
        assertEquals(1L, fixture.counters.fallbacks("sink-unsupported:org.springframework.util.StreamUtils$NonFlushingOutputStream"),
                fixture.counters.summary());
    }

    @Test
    void aWrapperOverAnUnsupportedStreamNamesThatStream() throws Exception {
        SocketTransferHook hook = fixture.hook("");
        Path file = Files.write(dir.resolve("small"), new byte[100_000]);
        java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(file)) {
            assertEquals(-1L, hook.transferTo(in, StreamUtils.nonFlushing(sink)));
        }
        assertEquals(1L, fixture.counters.fallbacks("sink-unsupported:java.io.ByteArrayOutputStream"), fixture.counters.summary());
    }

    @Test
    void aBufferedFileStreamSendsItsBufferThenTheFile() throws Exception {
        // What a file: URL's connection hands out (Spring's static resources from a file: location).
        long moved = serve("", out -> out, file -> {
            java.io.BufferedInputStream in = new java.io.BufferedInputStream(new java.io.FileInputStream(file.toFile()), 8192);
            if (in.read(new byte[3]) != 3) { // the buffer now holds the next 8189 bytes: they go first
                throw new IOException("short read");
            }
            return in;
        }, 3);
        assertEquals(2_000_000L, moved);
        assertTrue(fixture.counters.bytesFromFiles.sum() >= 2_000_000L - 8192, fixture.counters.summary());
    }
    interface Opener {
        InputStream open(Path file) throws IOException;
    }

    private long serve(String args, UnaryOperator<OutputStream> wrap) throws Exception {
        return serve(args, wrap, Files::newInputStream, 0);
    }

    /** One fixed-length response from a file through {@code wrap(body)}; the hook's answer (-1: not handled). */
    private long serve(String args, UnaryOperator<OutputStream> wrap, Opener opener, int skip) throws Exception {
        SocketTransferHook hook = fixture.hook(args);
        byte[] body = new byte[2_000_003];
        new Random(3).nextBytes(body);
        Path file = Files.write(dir.resolve("body"), body);
        long[] answer = new long[1];
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(200, body.length - skip);
            try (OutputStream out = ex.getResponseBody(); InputStream in = opener.open(file)) {
                OutputStream wrapped = wrap.apply(out);
                answer[0] = hook.transferTo(in, wrapped);
                if (answer[0] < 0) {
                    in.transferTo(wrapped); // what the JDK's own loop does when the hook declines
                }
            }
        });
        server.start();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            s.getOutputStream().write("GET /f HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String head = readHead(s.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertArrayEquals(java.util.Arrays.copyOfRange(body, skip, body.length), s.getInputStream().readNBytes(body.length - skip));
        } finally {
            server.stop(0);
        }
        return answer[0];
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
