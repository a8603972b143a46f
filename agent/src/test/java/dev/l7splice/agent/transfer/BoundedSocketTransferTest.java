package dev.l7splice.agent.transfer;

import static dev.l7splice.agent.transfer.SocketPair.readAll;
import static dev.l7splice.agent.transfer.SocketPair.writeAndShutdown;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.agent.runtime.Counters;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TransferHook.transfer(in, out, limit) on real loopback sockets: exactly the limit, nothing after it. */
@Timeout(60)
class BoundedSocketTransferTest {

    private final HookFixture fixture = new HookFixture();
    private final Counters counters = fixture.counters;

    @Test
    void bytesAfterTheLimitStayReadableByTheApplication() throws Exception {
        Random r = new Random(11);
        SocketTransferHook hook = fixture.hook("splice.min-bytes=0");
        for (int round = 0; round < 20; round++) {
            byte[] stream = new byte[4096 + r.nextInt(1 << 20)];
            r.nextBytes(stream);
            int limit = 1 + r.nextInt(stream.length - 2000);
            boolean buffered = round % 2 == 0;
            try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(dst.server));
                CompletableFuture.runAsync(() -> writeAndShutdown(src.server, stream, 0));
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
        SocketTransferHook hook = fixture.hook("splice.min-bytes=0");
        byte[] body = new byte[300_000];
        new Random(3).nextBytes(body);
        try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(dst.server));
            CompletableFuture.runAsync(() -> writeAndShutdown(src.server, body, 0));
            assertEquals(body.length, hook.transfer(src.client.getInputStream(), dst.client.getOutputStream(), 1L << 40));
            dst.client.shutdownOutput();
            assertArrayEquals(body, received.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aHugeLimitStillTakesTheBufferedBytesFirst() throws Exception {
        SocketTransferHook hook = fixture.hook("splice.min-bytes=0");
        byte[] body = new byte[200_000];
        new Random(8).nextBytes(body);
        try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(dst.server));
            CompletableFuture.runAsync(() -> writeAndShutdown(src.server, body, 0));
            BufferedInputStream in = new BufferedInputStream(src.client.getInputStream());
            assertEquals(body[0], (byte) in.read());
            assertEquals(body.length - 1, hook.transfer(in, dst.client.getOutputStream(), Long.MAX_VALUE));
            dst.client.shutdownOutput();
            assertArrayEquals(Arrays.copyOfRange(body, 1, body.length), received.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void smallLimitsAreCopiedWithoutAPipe() throws Exception {
        SocketTransferHook hook = fixture.hook("splice.min-bytes=64k");
        byte[] stream = new byte[100_000];
        new Random(5).nextBytes(stream);
        try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(dst.server));
            CompletableFuture.runAsync(() -> writeAndShutdown(src.server, stream, 0));
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
}
