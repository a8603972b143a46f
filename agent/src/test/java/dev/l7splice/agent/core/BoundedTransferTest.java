package dev.l7splice.agent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TransferHook.transfer(in, out, limit) on real loopback sockets: exactly the limit, nothing after it. */
@Timeout(60)
class BoundedTransferTest {

    private final Counters counters = new Counters();
    private final PipePool pipes = new PipePool(1 << 20, 8);

    @BeforeAll
    static void jdkInternals() throws Exception {
        JdkSockets.init();
    }

    private SocketTransferHook hook(String args) {
        AgentConfig config = AgentConfig.load(args, Map.of(), Map.of());
        return new SocketTransferHook(config, counters, pipes, new AgentStats(config, counters, pipes), null);
    }

    @Test
    void bytesAfterTheLimitStayReadableByTheApplication() throws Exception {
        Random r = new Random(11);
        SocketTransferHook hook = hook("splice.min-bytes=0");
        for (int round = 0; round < 20; round++) {
            byte[] stream = new byte[4096 + r.nextInt(1 << 20)];
            r.nextBytes(stream);
            int limit = 1 + r.nextInt(stream.length - 2000);
            boolean buffered = round % 2 == 0;
            try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(dst.server));
                CompletableFuture.runAsync(() -> write(src.server, stream));
                InputStream in = src.client.getInputStream();
                if (buffered) {
                    in = new BufferedInputStream(in, 1 + r.nextInt(16384));
                    in.read(); // fills the buffer: it may hold bytes on both sides of the limit
                }
                int skip = buffered ? 1 : 0;
                long n = hook.transfer(in, dst.client.getOutputStream(), limit - skip);
                dst.client.shutdownOutput();
                assertEquals(limit - skip, n);
                assertArrayEquals(Arrays.copyOfRange(stream, skip, limit), received.get(30, TimeUnit.SECONDS));
                assertArrayEquals(Arrays.copyOfRange(stream, limit, stream.length), in.readAllBytes(),
                        "what follows the limit is still there, in order");
            }
        }
        assertTrue(counters.offloaded.sum() >= 15, "most rounds spliced: " + counters.summary());
    }

    @Test
    void endOfStreamBeforeTheLimitReturnsTheShorterCount() throws Exception {
        SocketTransferHook hook = hook("splice.min-bytes=0");
        byte[] body = new byte[300_000];
        new Random(3).nextBytes(body);
        try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(dst.server));
            CompletableFuture.runAsync(() -> write(src.server, body));
            assertEquals(body.length, hook.transfer(src.client.getInputStream(), dst.client.getOutputStream(), 1L << 40));
            dst.client.shutdownOutput();
            assertArrayEquals(body, received.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aHugeLimitStillTakesTheBufferedBytesFirst() throws Exception {
        SocketTransferHook hook = hook("splice.min-bytes=0");
        byte[] body = new byte[200_000];
        new Random(8).nextBytes(body);
        try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(dst.server));
            CompletableFuture.runAsync(() -> write(src.server, body));
            BufferedInputStream in = new BufferedInputStream(src.client.getInputStream());
            assertEquals(body[0], (byte) in.read());
            assertEquals(body.length - 1, hook.transfer(in, dst.client.getOutputStream(), Long.MAX_VALUE));
            dst.client.shutdownOutput();
            assertArrayEquals(Arrays.copyOfRange(body, 1, body.length), received.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void smallLimitsAreCopiedWithoutAPipe() throws Exception {
        SocketTransferHook hook = hook("splice.min-bytes=64k");
        byte[] stream = new byte[100_000];
        new Random(5).nextBytes(stream);
        try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(dst.server));
            CompletableFuture.runAsync(() -> write(src.server, stream));
            InputStream in = src.client.getInputStream();
            assertEquals(0, hook.transfer(in, dst.client.getOutputStream(), 0));
            assertEquals(1000, hook.transfer(in, dst.client.getOutputStream(), 1000));
            dst.client.shutdownOutput();
            assertArrayEquals(Arrays.copyOf(stream, 1000), received.get(30, TimeUnit.SECONDS));
            assertArrayEquals(Arrays.copyOfRange(stream, 1000, stream.length), in.readAllBytes());
        }
        assertEquals(0, counters.offloaded.sum());
        assertEquals(1000, counters.bytesCopied.sum());
    }

    private static void write(Socket s, byte[] bytes) {
        try {
            s.getOutputStream().write(bytes);
            s.shutdownOutput();
        } catch (IOException e) {
            // the reading side sees a short stream
        }
    }

    private static byte[] readAll(Socket s) {
        try {
            return s.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
