package dev.l7splice.agent.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.agent.core.PipePool;
import dev.l7splice.agent.core.nativeio.LinuxIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay loop on real loopback TCP sockets (made with the same JNI calls the relay uses). */
@Timeout(60)
class RelayLoopTest {

    /** {client, server} fds of one connection. */
    private static int[] connection() {
        int listen = LinuxIo.tcpListen("127.0.0.1", 0);
        int client = LinuxIo.tcpConnect("127.0.0.1", LinuxIo.localPort(listen), 5000);
        int server = LinuxIo.accept(listen);
        LinuxIo.close(listen);
        assertTrue(client >= 0 && server >= 0);
        LinuxIo.setNonBlocking(server);
        return new int[] {client, server};
    }

    private static void writeAll(int fd, byte[] b) {
        for (int off = 0; off < b.length; ) {
            int w = LinuxIo.write(fd, b, off, b.length - off);
            if (w > 0) {
                off += w;
            } else {
                LinuxIo.poll(fd, LinuxIo.POLLOUT, 1000);
            }
        }
        LinuxIo.shutdown(fd, 1);
    }

    private static byte[] readAll(int fd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        for (;;) {
            int r = LinuxIo.read(fd, buf, 0, buf.length);
            if (r > 0) {
                out.write(buf, 0, r);
            } else if (r == 0) {
                return out.toByteArray();
            } else {
                LinuxIo.poll(fd, LinuxIo.POLLIN, 1000);
            }
        }
    }

    private static byte[] relay(PipeSource pipes, byte[] prefix, byte[] body, AtomicLong copied) throws Exception {
        RelayLoop loop = new RelayLoop(pipes, 10_000, n -> { });
        Thread t = new Thread(loop, "relay-test");
        t.start();
        int[] in = connection();
        int[] out = connection();
        CompletableFuture<Long> done = new CompletableFuture<>();
        loop.submit(new RelayedTransfer(1, in[1], out[1], new RelayedTransfer.Completion() {
            @Override
            public void done(RelayedTransfer tr, long bytes) {
                done.complete(bytes);
            }

            @Override
            public void failed(RelayedTransfer tr, IOException cause) {
                done.completeExceptionally(cause);
            }
        }).withPrefix(prefix).withFlags(RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF));
        CompletableFuture.runAsync(() -> writeAll(in[0], body));
        byte[] got = readAll(out[0]);
        assertEquals(prefix.length + body.length, done.get(30, TimeUnit.SECONDS));
        copied.set(loop.copiedBytes());
        loop.stop();
        t.join(5000);
        LinuxIo.close(in[0]);
        LinuxIo.close(out[0]);
        return got;
    }

    private static byte[] expected(byte[] prefix, byte[] body) {
        byte[] all = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(body, 0, all, prefix.length, body.length);
        return all;
    }

    @Test
    void prefixThenBodyThroughPipesThenTheFin() throws Exception {
        byte[] prefix = "held by the application".getBytes();
        byte[] body = new byte[6 << 20];
        new Random(3).nextBytes(body);
        AtomicLong copied = new AtomicLong();
        assertArrayEquals(expected(prefix, body), relay(new PipePool(1 << 20, 4), prefix, body, copied));
        assertEquals(0, copied.get(), "everything spliced");
    }

    @Test
    void withNoPipeSpareTheBodyIsCopiedInstead() throws Exception {
        PipeSource none = new PipeSource() {
            @Override
            public RelayedTransfer.PipeLease acquire() {
                return null;
            }

            @Override
            public void release(RelayedTransfer.PipeLease pipe) {
                throw new AssertionError("never lent");
            }
        };
        byte[] body = new byte[3 << 20];
        new Random(4).nextBytes(body);
        AtomicLong copied = new AtomicLong();
        assertArrayEquals(body, relay(none, new byte[0], body, copied));
        assertEquals(body.length, copied.get());
    }
}
