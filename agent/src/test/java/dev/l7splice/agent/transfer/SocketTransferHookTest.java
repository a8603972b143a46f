package dev.l7splice.agent.transfer;

import static dev.l7splice.agent.transfer.SocketPair.readAll;
import static dev.l7splice.agent.transfer.SocketPair.writeAndShutdown;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.agent.bootstrap.TransferHook;
import dev.l7splice.agent.runtime.Counters;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hook called directly on real loopback sockets (the agent itself is not installed here). */
@Timeout(60)
class SocketTransferHookTest {

    private final HookFixture fixture = new HookFixture();
    private final Counters counters = fixture.counters;

    @Test
    void prefixHeldByBufferedReaderIsWrittenOnceBeforeTheSplicedRest() throws Exception {
        Random r = new Random(7);
        SocketTransferHook hook = fixture.hook("splice.min-bytes=0");
        for (int round = 0; round < 30; round++) {
            byte[] body = new byte[8192 + r.nextInt(1 << 20)];
            r.nextBytes(body);
            int headLen = 1 + r.nextInt(4000);
            int pre = r.nextInt(8192 - headLen);
            try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
                // head + part of the body in one write: the reader's first fill takes both
                byte[] first = new byte[headLen + pre];
                System.arraycopy(body, 0, first, headLen, pre);
                src.server.getOutputStream().write(first);
                BufferedInputStream in = new BufferedInputStream(src.client.getInputStream());
                assertEquals(headLen, in.readNBytes(headLen).length);
                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(dst.server));
                CompletableFuture.runAsync(() -> writeAndShutdown(src.server, body, pre));
                BufferedOutputStream out = new BufferedOutputStream(dst.client.getOutputStream());
                long copiedBefore = counters.bytesCopied.sum();
                long n = hook.transferTo(in, out);
                out.flush(); // as with the JDK's loop, whatever sits in the BufferedOutputStream is the caller's
                dst.client.shutdownOutput();
                assertEquals(body.length, n);
                assertArrayEquals(body, received.get(30, TimeUnit.SECONDS));
                assertTrue(counters.bytesCopied.sum() - copiedBefore <= 8192);
            }
        }
        assertEquals(30, counters.offloaded.sum(), "every round was spliced: " + counters.summary());
    }

    @Test
    void smallBodiesBelowMinBytesStayInUserSpace() throws Exception {
        SocketTransferHook hook = fixture.hook("splice.min-bytes=64k");
        byte[] body = new byte[10_000];
        new Random(1).nextBytes(body);
        transferBetweenNewSockets(hook, body);
        assertEquals(0, counters.bytesSpliced.sum());
        assertEquals(body.length, counters.bytesCopied.sum());
        assertEquals(0, counters.offloaded.sum());
    }

    @Test
    void otherStreamsAreNotTouched() throws Exception {
        SocketTransferHook hook = fixture.hook("splice.min-bytes=0");
        try (SocketPair dst = new SocketPair()) {
            InputStream notSocket = new ByteArrayInputStream(new byte[10]);
            assertEquals(TransferHook.NOT_HANDLED, hook.transferTo(notSocket, dst.client.getOutputStream()));
            assertEquals(TransferHook.NOT_HANDLED, hook.transferTo(notSocket, new ByteArrayOutputStream()));
        }
        try (SocketPair src = new SocketPair()) {
            assertEquals(TransferHook.NOT_HANDLED, hook.transferTo(src.client.getInputStream(), new ByteArrayOutputStream()));
        }
        assertEquals(1, counters.fallbacks("source-unsupported:java.io.ByteArrayInputStream"));
        assertEquals(1, counters.fallbacks("sink-unsupported:java.io.ByteArrayOutputStream"));
    }

    @Test
    void soTimeoutOnTheSourceIsHonoured() throws Exception {
        SocketTransferHook hook = fixture.hook("splice.min-bytes=0");
        try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
            src.client.setSoTimeout(300);
            src.server.getOutputStream().write(new byte[100]);
            long t0 = System.nanoTime();
            assertThrows(SocketTimeoutException.class,
                    () -> hook.transferTo(src.client.getInputStream(), dst.client.getOutputStream()));
            assertTrue(System.nanoTime() - t0 >= 250_000_000L);
        }
    }

    @Test
    void closeByAnotherThreadEndsTheTransfer() throws Exception {
        SocketTransferHook hook = fixture.hook("splice.min-bytes=0");
        try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
            CompletableFuture.runAsync(() -> {
                sleep(300);
                try {
                    src.client.close();
                } catch (IOException ignored) {
                    // the test then fails on the missing exception
                }
            });
            SocketException e = assertThrows(SocketException.class,
                    () -> hook.transferTo(src.client.getInputStream(), dst.client.getOutputStream()));
            assertEquals("Socket closed", e.getMessage());
        }
    }

    @Test
    void peerResetIsASocketException() throws Exception {
        SocketTransferHook hook = fixture.hook("splice.min-bytes=0");
        try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
            CompletableFuture.runAsync(() -> writeAndShutdown(src.server, new byte[64 << 20], 0));
            CompletableFuture.runAsync(() -> {
                sleep(200);
                try {
                    dst.server.setSoLinger(true, 0);
                    dst.server.close();
                } catch (IOException ignored) {
                    // the test then fails on the missing exception
                }
            });
            assertThrows(SocketException.class,
                    () -> hook.transferTo(src.client.getInputStream(), dst.client.getOutputStream()));
        }
        assertEquals(0, fixture.pipes.open(), "the pipe that still held bytes of the failed body was closed, not pooled");
    }

    @Test
    void aPipeDrainedByACompletedBodyIsPooledForTheNext() throws Exception {
        SocketTransferHook hook = fixture.hook("splice.min-bytes=0");
        Random r = new Random(11);
        for (int round = 0; round < 3; round++) {
            byte[] body = new byte[(1 << 20) + r.nextInt(1 << 16)];
            r.nextBytes(body);
            transferBetweenNewSockets(hook, body);
            assertEquals(1, fixture.pipes.open(), "round " + round + ": one pipe, back in the pool");
        }
        assertEquals(3, counters.offloaded.sum());
    }

    /** {@code body} from a new socket pair's peer, through {@code hook.transferTo}, to another's: the count and the bytes checked. */
    private static void transferBetweenNewSockets(SocketTransferHook hook, byte[] body) throws Exception {
        try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(dst.server));
            CompletableFuture.runAsync(() -> writeAndShutdown(src.server, body, 0));
            assertEquals(body.length, hook.transferTo(src.client.getInputStream(), dst.client.getOutputStream()));
            dst.client.shutdownOutput();
            assertArrayEquals(body, received.get(30, TimeUnit.SECONDS));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
