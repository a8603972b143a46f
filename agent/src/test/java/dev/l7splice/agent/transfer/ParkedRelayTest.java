package dev.l7splice.agent.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.agent.relay.Handoffs;
import dev.l7splice.agent.sinks.SocketSink;
import dev.l7splice.agent.sources.SocketSource;
import dev.l7splice.agent.relay.InProcessRelay;
import dev.l7splice.agent.runtime.JdkSockets;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay path of threads that may not wait in the kernel, on real loopback sockets. It does not
 * depend on the thread being virtual (the build's JDK is 17), so it runs on platform threads here;
 * the virtual-thread runs are the integration tests with virtual-threads.poller=off. Each case must
 * end as the JDK's loop would: count, bound, reset, close, interrupt, SO_TIMEOUT (copied instead).
 */
@Timeout(60)
class ParkedRelayTest {

    private final HookFixture fx = new HookFixture();
    private final SocketTransferHook hook = fx.hook("splice.min-bytes=0");
    private final ParkedRelay parked = new ParkedRelay(new InProcessRelay(fx.pipes, 1, 0, fx.counters.bytesSpliced::add,
            new Handoffs(JdkSockets::fdOf), (id, bytes, failure) -> { }));

    private long run(Socket src, Socket dst, long limit) throws IOException {
        OutputStream out = dst.getOutputStream();
        return parked.transfer(hook, SocketSource.of(hook, src.getInputStream()),
                SocketSink.of(out, out, hook::refuse), limit);
    }

    private static byte[] body(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void movesTheBodyToEndOfStreamAndReturnsItsCount() throws Exception {
        byte[] body = body(3 << 20);
        try (SocketPair in = new SocketPair(); SocketPair out = new SocketPair()) {
            CompletableFuture.runAsync(() -> SocketPair.writeAndShutdown(in.client, body, 0));
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> SocketPair.readAll(out.client));
            assertEquals(body.length, run(in.server, out.server, Long.MAX_VALUE));
            out.server.shutdownOutput();
            assertArrayEquals(body, got.get(20, TimeUnit.SECONDS));
        }
        assertEquals(1, fx.counters.relayedForVirtualThreads.sum());
        assertTrue(fx.counters.bytesSpliced.sum() > 0);
    }

    @Test
    void aBoundedTransferTakesExactlyItsCountAndLeavesTheRest() throws Exception {
        byte[] body = body(1 << 20);
        try (SocketPair in = new SocketPair(); SocketPair out = new SocketPair()) {
            CompletableFuture.runAsync(() -> SocketPair.writeAndShutdown(in.client, body, 0));
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> SocketPair.readAll(out.client));
            int limit = 700_001;
            assertEquals(limit, run(in.server, out.server, limit));
            out.server.shutdownOutput();
            byte[] rest = in.server.getInputStream().readAllBytes();
            byte[] sent = got.get(20, TimeUnit.SECONDS);
            assertEquals(limit, sent.length);
            assertEquals(body.length - limit, rest.length);
            assertArrayEquals(java.util.Arrays.copyOf(body, limit), sent);
            assertArrayEquals(java.util.Arrays.copyOfRange(body, limit, body.length), rest);
        }
    }

    @Test
    void aResetSourceFailsWithTheJdksSocketException() throws Exception {
        try (SocketPair in = new SocketPair(); SocketPair out = new SocketPair()) {
            CompletableFuture.runAsync(() -> SocketPair.readAll(out.client));
            in.client.getOutputStream().write(body(100_000));
            CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(300);
                    in.client.setSoLinger(true, 0);
                    in.client.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            SocketException e = assertThrows(SocketException.class, () -> run(in.server, out.server, Long.MAX_VALUE));
            assertSame(SocketException.class, e.getClass());
            assertEquals("Connection reset", e.getMessage());
        }
    }

    @Test
    void aCloseFromAnotherThreadEndsItWithSocketClosed() throws Exception {
        try (SocketPair in = new SocketPair(); SocketPair out = new SocketPair()) {
            CompletableFuture.runAsync(() -> SocketPair.readAll(out.client));
            CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(400);
                    in.server.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            SocketException e = assertThrows(SocketException.class, () -> run(in.server, out.server, Long.MAX_VALUE));
            assertEquals("Socket closed", e.getMessage());
        }
    }

    @Test
    void anInterruptClosesTheSourceAndKeepsTheStatus() throws Exception {
        try (SocketPair in = new SocketPair(); SocketPair out = new SocketPair()) {
            CompletableFuture.runAsync(() -> SocketPair.readAll(out.client));
            CompletableFuture<String> outcome = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    outcome.complete("returned " + run(in.server, out.server, Long.MAX_VALUE));
                } catch (IOException e) {
                    outcome.complete(e.getClass().getSimpleName() + ": " + e.getMessage()
                            + " interrupted=" + Thread.currentThread().isInterrupted());
                }
            });
            t.start();
            Thread.sleep(400);
            t.interrupt();
            assertEquals("SocketException: Closed by interrupt interrupted=true", outcome.get(10, TimeUnit.SECONDS));
            assertTrue(in.server.isClosed());
        }
    }

    @Test
    void soTimeoutIsLeftToTheJdksCopyWithItsReason() throws Exception {
        byte[] body = body(200_000);
        try (SocketPair in = new SocketPair(); SocketPair out = new SocketPair()) {
            in.server.setSoTimeout(5000);
            CompletableFuture.runAsync(() -> SocketPair.writeAndShutdown(in.client, body, 0));
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> SocketPair.readAll(out.client));
            assertEquals(body.length, run(in.server, out.server, Long.MAX_VALUE));
            out.server.shutdownOutput();
            assertArrayEquals(body, got.get(20, TimeUnit.SECONDS));
        }
        assertEquals(1, fx.counters.fallbacks("relay-so-timeout"));
        assertEquals(0, fx.counters.relayedForVirtualThreads.sum());
    }
}
