package dev.l7splice.agent.transfer;

import static dev.l7splice.agent.transfer.SocketPair.readAll;
import static dev.l7splice.agent.transfer.SocketPair.writeAndShutdown;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.agent.relay.Offload;
import dev.l7splice.kernel.nativeio.LinuxIo;
import java.io.BufferedInputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hand-off modes' split of a body on real loopback sockets, with a stand-in relay that records
 * what it was given and closes its dups: what the application's thread writes itself, what the relay
 * is told to write first, what the call returns; and that a bounded call or a refusing relay keeps the
 * body on the calling thread.
 */
@Timeout(60)
class RelayHandOffTest {

    private final HookFixture fx = new HookFixture();

    /** Takes the fds (closes them: the test only looks at the split) and remembers the prefix. */
    private static final class RecordingRelay implements Offload {
        byte[] prefix;
        boolean refuse;

        @Override
        public long handOff(Socket src, int srcFd, Socket dst, int dstFd, byte[] prefix) throws java.io.IOException {
            if (refuse) {
                throw new Unavailable("refused by the test");
            }
            this.prefix = prefix.clone();
            LinuxIo.close(srcFd);
            LinuxIo.close(dstFd);
            return 1;
        }

        @Override
        public int active() {
            return 0;
        }

        @Override
        public String name() {
            return "test relay";
        }
    }

    private static byte[] body(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void heldBytesOfAtLeastMinBytesAreTheRelaysToWrite() throws Exception {
        RecordingRelay relay = new RecordingRelay();
        SocketTransferHook hook = fx.hook("splice.min-bytes=4k", relay);
        byte[] body = body(200_000);
        try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
            BufferedInputStream in = new BufferedInputStream(src.client.getInputStream(), 16384);
            src.server.getOutputStream().write(body, 0, 5000);
            assertEquals(body[0], (byte) in.read()); // the fill holds the rest of what arrived
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> readAll(dst.server));
            int held = in.available();
            assertTrue(held >= 4096, "loopback delivered the 5000 bytes before the read: " + held);
            long n = hook.transferTo(in, dst.client.getOutputStream());
            dst.client.shutdownOutput();
            assertEquals(held, n);
            assertArrayEquals(Arrays.copyOfRange(body, 1, 1 + held), relay.prefix);
            assertEquals(0, got.get(20, TimeUnit.SECONDS).length, "the application's thread wrote nothing itself");
        }
        assertEquals(1, fx.counters.handedOff.sum());
    }

    @Test
    void belowMinBytesTheFirstBytesAreWrittenHereAndTheRelayGetsNone() throws Exception {
        RecordingRelay relay = new RecordingRelay();
        SocketTransferHook hook = fx.hook("splice.min-bytes=64k", relay);
        byte[] body = body(300_000);
        try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
            CompletableFuture.runAsync(() -> writeAndShutdown(src.server, body, 0));
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> readAll(dst.server));
            long n = hook.transferTo(new BufferedInputStream(src.client.getInputStream()), dst.client.getOutputStream());
            dst.client.shutdownOutput();
            assertEquals(65536, n);
            assertEquals(0, relay.prefix.length);
            assertArrayEquals(Arrays.copyOf(body, 65536), got.get(20, TimeUnit.SECONDS));
        }
        assertEquals(1, fx.counters.handedOff.sum());
    }

    @Test
    void aRefusingRelayLeavesTheWholeBodyToTheCallingThread() throws Exception {
        RecordingRelay relay = new RecordingRelay();
        relay.refuse = true;
        SocketTransferHook hook = fx.hook("splice.min-bytes=0", relay);
        byte[] body = body(1 << 20);
        try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
            CompletableFuture.runAsync(() -> writeAndShutdown(src.server, body, 0));
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> readAll(dst.server));
            assertEquals(body.length, hook.transferTo(src.client.getInputStream(), dst.client.getOutputStream()));
            dst.client.shutdownOutput();
            assertArrayEquals(body, got.get(20, TimeUnit.SECONDS));
        }
        assertEquals(1, fx.counters.fallbacks("relay-unavailable"));
        assertEquals(0, fx.counters.handedOff.sum());
    }

    @Test
    void aBoundedCallIsNeverHandedOff() throws Exception {
        RecordingRelay relay = new RecordingRelay();
        SocketTransferHook hook = fx.hook("splice.min-bytes=0", relay);
        byte[] body = body(1 << 20);
        try (SocketPair src = new SocketPair(); SocketPair dst = new SocketPair()) {
            CompletableFuture.runAsync(() -> writeAndShutdown(src.server, body, 0));
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> readAll(dst.server));
            assertEquals(body.length, hook.transfer(src.client.getInputStream(), dst.client.getOutputStream(), Long.MAX_VALUE));
            dst.client.shutdownOutput();
            assertArrayEquals(body, got.get(20, TimeUnit.SECONDS));
        }
        assertNull(relay.prefix);
        assertEquals(0, fx.counters.handedOff.sum());
    }
}
