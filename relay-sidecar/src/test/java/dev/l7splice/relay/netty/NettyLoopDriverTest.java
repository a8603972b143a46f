package dev.l7splice.relay.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.engine.RelayLoop;
import dev.l7splice.engine.RelayedTransfer;
import dev.l7splice.kernel.PipePool;
import dev.l7splice.kernel.nativeio.LinuxIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A relay loop driven by Netty's EpollIoHandler, on real loopback sockets. */
@Timeout(60)
class NettyLoopDriverTest {

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

    private static RelayedTransfer.Completion completion(CompletableFuture<Long> f) {
        return new RelayedTransfer.Completion() {
            @Override
            public void done(RelayedTransfer t, long bytes) {
                f.complete(bytes);
            }

            @Override
            public void failed(RelayedTransfer t, IOException cause) {
                f.completeExceptionally(cause);
            }
        };
    }

    private record Running(RelayLoop loop, NettyLoopDriver driver, Thread thread) implements AutoCloseable {
        static Running start() throws IOException {
            assertNull(NettyLoopDriver.unavailableReason());
            NettyLoopDriver driver = new NettyLoopDriver("netty-test");
            RelayLoop loop = new RelayLoop(new PipePool(1 << 16, 4), 10_000, n -> { }, driver);
            Thread t = new Thread(loop, "netty-driven");
            t.start();
            return new Running(loop, driver, t);
        }

        <T> T onLoop(Callable<T> c) throws Exception {
            CompletableFuture<T> f = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    f.complete(c.call());
                } catch (Exception e) {
                    f.completeExceptionally(e);
                }
            });
            return f.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            loop.stop();
            thread.join(5000);
            assertFalse(thread.isAlive(), "run() did not return after stop");
        }
    }

    @Test
    void aConnectionRelaysBothWaysByteExact() throws Exception {
        try (Running r = Running.start()) {
            int[] a = connection();
            int[] b = connection();
            byte[] up = new byte[4 << 20];
            byte[] down = new byte[1 << 20];
            new Random(1).nextBytes(up);
            new Random(2).nextBytes(down);
            CompletableFuture<Long> upDone = new CompletableFuture<>();
            CompletableFuture<Long> downDone = new CompletableFuture<>();
            r.loop().execute(() -> r.loop().startNow(
                    new RelayedTransfer(1, a[1], b[1], completion(upDone)).withFlags(RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF),
                    new RelayedTransfer(2, b[1], a[1], completion(downDone)).withFlags(RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF)));
            CompletableFuture.runAsync(() -> writeAll(a[0], up));
            CompletableFuture.runAsync(() -> writeAll(b[0], down));
            CompletableFuture<byte[]> gotDown = CompletableFuture.supplyAsync(() -> readAll(a[0]));
            assertArrayEquals(up, readAll(b[0]));
            assertArrayEquals(down, gotDown.get(30, TimeUnit.SECONDS));
            assertEquals(up.length, upDone.get(30, TimeUnit.SECONDS));
            assertEquals(down.length, downDone.get(30, TimeUnit.SECONDS));
            LinuxIo.close(a[0]);
            LinuxIo.close(b[0]);
        }
    }

    @Test
    void registrationsFollowEpollCtlsContract() throws Exception {
        try (Running r = Running.start()) {
            int[] c = connection();
            NettyLoopDriver d = r.driver();
            assertEquals(-2, (int) r.onLoop(() -> d.control(LinuxIo.EPOLL_CTL_MOD, c[1], LinuxIo.EPOLLIN)), "MOD unknown: ENOENT");
            assertEquals(0, (int) r.onLoop(() -> d.control(LinuxIo.EPOLL_CTL_ADD, c[1], LinuxIo.EPOLLIN)));
            assertEquals(-17, (int) r.onLoop(() -> d.control(LinuxIo.EPOLL_CTL_ADD, c[1], LinuxIo.EPOLLIN)), "ADD twice: EEXIST");
            assertEquals(0, (int) r.onLoop(() -> d.control(LinuxIo.EPOLL_CTL_MOD, c[1], LinuxIo.EPOLLOUT)));
            assertEquals(0, (int) r.onLoop(() -> d.control(LinuxIo.EPOLL_CTL_DEL, c[1], 0)));
            assertEquals(-2, (int) r.onLoop(() -> d.control(LinuxIo.EPOLL_CTL_DEL, c[1], 0)), "DEL twice: ENOENT");
            // No events is a registration, as with epoll_ctl (Netty's NONE alone would mean "not in epoll").
            assertEquals(0, (int) r.onLoop(() -> d.control(LinuxIo.EPOLL_CTL_ADD, c[1], 0)));
            assertEquals(0, (int) r.onLoop(() -> d.control(LinuxIo.EPOLL_CTL_MOD, c[1], LinuxIo.EPOLLIN)));
            assertEquals(0, (int) r.onLoop(() -> d.control(LinuxIo.EPOLL_CTL_MOD, c[1], 0)));
            assertEquals(0, (int) r.onLoop(() -> d.control(LinuxIo.EPOLL_CTL_MOD, c[1], LinuxIo.EPOLLOUT)));
            assertEquals(0, (int) r.onLoop(() -> d.control(LinuxIo.EPOLL_CTL_DEL, c[1], 0)));
            // A watched fd's events arrive level-triggered, every turn, until it is unwatched.
            CompletableFuture<Integer> ev = new CompletableFuture<>();
            assertTrue(r.onLoop(() -> r.loop().watch(c[1], LinuxIo.EPOLLOUT, ev::complete)));
            assertTrue((ev.get(10, TimeUnit.SECONDS) & LinuxIo.EPOLLOUT) != 0);
            r.onLoop(() -> {
                r.loop().unwatch(c[1]);
                return null;
            });
            LinuxIo.close(c[0]);
            LinuxIo.close(c[1]);
        }
    }

    @Test
    void timersRunOnTheLoopAndStopFailsWhatIsInFlight() throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        int[] in = connection();
        int[] out = connection();
        try (Running r = Running.start()) {
            long t0 = System.nanoTime();
            CompletableFuture<Boolean> timer = new CompletableFuture<>();
            r.loop().execute(() -> r.loop().schedule(50, () -> timer.complete(r.loop().inLoop())));
            assertTrue(timer.get(10, TimeUnit.SECONDS), "timer off the loop thread");
            assertTrue(System.nanoTime() - t0 >= 50_000_000L, "timer ran early");
            r.loop().submit(new RelayedTransfer(1, in[1], out[1], completion(done))); // no byte ever comes
            r.onLoop(() -> null);
        }
        ExecutionException failed = assertThrows(ExecutionException.class, () -> done.get(10, TimeUnit.SECONDS));
        assertEquals("relay stopped", failed.getCause().getMessage());
        LinuxIo.close(in[0]);
        LinuxIo.close(out[0]);
    }
}
