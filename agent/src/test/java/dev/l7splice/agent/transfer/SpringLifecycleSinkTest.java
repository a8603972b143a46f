package dev.l7splice.agent.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.StreamUtils;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.context.request.async.StandardServletAsyncWebRequest.State;
import org.springframework.web.context.request.async.StandardServletAsyncWebRequest;

/**
 * com.sun.net.httpserver's sink under a stand-in of Spring MVC 7's lifecycle stream (Spring's exact names,
 * Spring's real pass-through wrapper above it, as a controller's body has): looked through in both the
 * synchronous and the async state with the lock given back, refused before a byte when the request is no
 * longer usable (then Spring's own write raises its exception), a failed kernel transfer raised as Spring's
 * exception with the state ERROR, and the wrapper named when the toggle is off or its shape is not Spring's.
 */
@Timeout(60)
class SpringLifecycleSinkTest {

    private static final int SIZE = 2_000_003;

    @TempDir
    Path dir;

    private final HookFixture fixture = new HookFixture();

    @Test
    void aSynchronousHandlersBodyIsSentFromTheFile() throws Exception {
        StandardServletAsyncWebRequest request = new StandardServletAsyncWebRequest(State.NEW);
        assertEquals(SIZE, serve("", out -> StreamUtils.nonFlushing(request.stream(out))));
        assertEquals(SIZE, fixture.counters.bytesFromFiles.sum(), fixture.counters.summary());
        assertEquals(State.NEW, request.state());
    }

    @Test
    void anAsyncBodyIsSentUnderTheLockAndGivesItBack() throws Exception {
        StandardServletAsyncWebRequest request = new StandardServletAsyncWebRequest(State.ASYNC);
        assertEquals(SIZE, serve("", out -> StreamUtils.nonFlushing(request.stream(out))));
        assertEquals(SIZE, fixture.counters.bytesFromFiles.sum(), fixture.counters.summary());
        assertEquals(State.ASYNC, request.state());
        assertFalse(request.lock().isLocked());
        // Another thread's onComplete gets the lock at once afterwards.
        CompletableFuture.runAsync(request::complete).get(5, TimeUnit.SECONDS);
        assertEquals(State.COMPLETED, request.state());
    }

    @Test
    void aCompletedRequestKeepsSpringsCodeWhichRaisesItsException() throws Exception {
        StandardServletAsyncWebRequest request = new StandardServletAsyncWebRequest(State.ASYNC);
        request.complete();
        SocketTransferHook hook = fixture.hook("");
        Path file = Files.write(dir.resolve("small"), new byte[100_000]);
        OutputStream wrapped = StreamUtils.nonFlushing(request.stream(OutputStream.nullOutputStream()));
        try (InputStream in = Files.newInputStream(file)) {
            assertEquals(-1L, hook.transferTo(in, wrapped));
            assertThrows(AsyncRequestNotUsableException.class, () -> in.transferTo(wrapped)); // the JDK's loop
        }
        assertFalse(request.lock().isLocked());
    }

    @Test
    void aClientResetMidBodyEndsInSpringsExceptionAndStateError() throws Exception {
        StandardServletAsyncWebRequest request = new StandardServletAsyncWebRequest(State.ASYNC);
        SocketTransferHook hook = fixture.hook("");
        Path file = dir.resolve("big");
        try (OutputStream o = Files.newOutputStream(file)) {
            byte[] mib = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                o.write(mib);
            }
        }
        CompletableFuture<Throwable> raised = new CompletableFuture<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(200, Files.size(file));
            try (InputStream in = Files.newInputStream(file)) {
                hook.transferTo(in, StreamUtils.nonFlushing(request.stream(ex.getResponseBody())));
                raised.complete(null);
            } catch (Throwable t) {
                raised.complete(t);
            }
            ex.close();
        });
        server.start();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            s.getOutputStream().write("GET /f HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readNBytes(1 << 20);
            s.setSoLinger(true, 0);
        } // reset
        try {
            Throwable t = raised.get(30, TimeUnit.SECONDS);
            assertInstanceOf(AsyncRequestNotUsableException.class, t);
            assertTrue(t.getMessage().startsWith("ServletOutputStream failed to write"), t.getMessage());
            assertEquals(State.ERROR, request.state());
            assertFalse(request.lock().isLocked());
            assertTrue(fixture.counters.bytesFromFiles.sum() > 0, fixture.counters.summary());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void switchedOffTheLifecycleStreamIsNamed() throws Exception {
        StandardServletAsyncWebRequest request = new StandardServletAsyncWebRequest(State.NEW);
        assertEquals(-1L, serve("instrumentation.spring-wrappers.enabled=false", request::stream));
        assertEquals(1L, fixture.counters.fallbacks("sink-unsupported:org.springframework.web.context.request.async."
                + "StandardServletAsyncWebRequest$LifecycleServletOutputStream"), fixture.counters.summary());
    }

    @Test
    void anotherShapeIsRefusedWithItsReason() throws Exception {
        assertEquals(-1L, serve("", StandardServletAsyncWebRequest::broken));
        assertEquals(1L, fixture.counters.fallbacks("spring-lifecycle:response"), fixture.counters.summary());
        assertEquals(0L, fixture.counters.bytesFromFiles.sum());
    }

    /** One fixed-length response from a file through {@code wrap(body)}; the hook's answer (-1: not handled, then Spring's copy). */
    private long serve(String args, UnaryOperator<OutputStream> wrap) throws Exception {
        SocketTransferHook hook = fixture.hook(args);
        byte[] body = new byte[SIZE];
        new Random(5).nextBytes(body);
        Path file = Files.write(dir.resolve("body"), body);
        long[] answer = new long[1];
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody(); InputStream in = Files.newInputStream(file)) {
                OutputStream wrapped = wrap.apply(out);
                answer[0] = hook.transferTo(in, wrapped);
                if (answer[0] < 0) {
                    in.transferTo(wrapped);
                }
            }
        });
        server.start();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            s.getOutputStream().write("GET /f HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertArrayEquals(body, in.readNBytes(body.length));
        } finally {
            server.stop(0);
        }
        return answer[0];
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("end of stream in a head: " + head);
            }
            head.append((char) c);
        }
        return head.toString();
    }
}
