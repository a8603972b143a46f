package dev.l7splice.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.kernel.PipePool;
import dev.l7splice.kernel.nativeio.LinuxIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seam a {@link RelayLoop} waits through when it does not run its own epoll_wait: a test
 * driver with an epoll of its own, which records what the loop asked of it.
 */
@Timeout(60)
class LoopDriverTest {

    /** A driver on its own epoll fd and thread; it keeps the set of fds the loop has registered. */
    static final class RecordingDriver implements LoopDriver {
        final int epfd = LinuxIo.epollCreate();
        final int wake = LinuxIo.eventfd();
        final Set<Integer> registered = new HashSet<>();
        final AtomicInteger wakeups = new AtomicInteger();
        final AtomicInteger scheduled = new AtomicInteger();
        /** Timers (loop thread only): due time in nanos, and the task. */
        final java.util.List<Object[]> timers = new java.util.ArrayList<>();
        volatile Thread thread;
        volatile boolean stopped;

        RecordingDriver() {
            LinuxIo.epollCtl(epfd, LinuxIo.EPOLL_CTL_ADD, wake, LinuxIo.EPOLLIN);
        }

        @Override
        public int control(int op, int fd, int events) {
            assertTrue(inLoop(), "control off the loop thread");
            int r = LinuxIo.epollCtl(epfd, op, fd, events);
            if (r == 0 && op == LinuxIo.EPOLL_CTL_ADD) {
                registered.add(fd);
            } else if (r == 0 && op == LinuxIo.EPOLL_CTL_DEL) {
                registered.remove(fd);
            }
            return r;
        }

        @Override
        public void closed(int fd) {
            assertTrue(registered.remove(fd), "closed() for an fd never registered: " + fd);
        }

        @Override
        public void wakeup() {
            wakeups.incrementAndGet();
            LinuxIo.eventfdSignal(wake);
        }

        @Override
        public void schedule(long millis, Runnable task) {
            scheduled.incrementAndGet();
            assertTrue(inLoop(), "schedule off the loop thread");
            timers.add(new Object[] {System.nanoTime() + millis * 1_000_000L, task});
        }

        @Override
        public boolean inLoop() {
            return Thread.currentThread() == thread;
        }

        @Override
        public void run(RelayLoop loop) {
            thread = Thread.currentThread();
            int[] ev = new int[64];
            while (!stopped) {
                int n = LinuxIo.epollWait(epfd, ev, 50);
                for (int i = 0; i < n; i++) {
                    if (ev[2 * i] == wake) {
                        LinuxIo.eventfdClear(wake);
                    } else {
                        loop.ready(ev[2 * i], ev[2 * i + 1]);
                    }
                }
                long now = System.nanoTime();
                for (Object[] due : new java.util.ArrayList<>(timers)) {
                    if (now - (long) due[0] >= 0) {
                        timers.remove(due);
                        ((Runnable) due[1]).run();
                    }
                }
                loop.endOfTurn();
            }
            loop.shutdown();
            LinuxIo.close(wake);
            LinuxIo.close(epfd);
        }

        @Override
        public void stop() {
            stopped = true;
            LinuxIo.eventfdSignal(wake);
        }
    }

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

    @Test
    void bothDirectionsRelayThroughTheDriverAndLeaveNoRegistrationBehind() throws Exception {
        RecordingDriver driver = new RecordingDriver();
        RelayLoop loop = new RelayLoop(new PipePool(1 << 16, 4), 10_000, n -> { }, driver);
        Thread t = new Thread(loop, "driven-loop");
        t.start();
        int[] a = connection();
        int[] b = connection();
        byte[] up = new byte[3 << 20];
        byte[] down = new byte[1 << 20];
        new Random(7).nextBytes(up);
        new Random(8).nextBytes(down);
        CompletableFuture<Long> upDone = new CompletableFuture<>();
        CompletableFuture<Long> downDone = new CompletableFuture<>();
        loop.execute(() -> {
            assertTrue(loop.inLoop());
            loop.startNow(new RelayedTransfer(1, a[1], b[1], completion(upDone)).withFlags(RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF),
                    new RelayedTransfer(2, b[1], a[1], completion(downDone)).withFlags(RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF));
        });
        CompletableFuture.runAsync(() -> writeAll(a[0], up));
        CompletableFuture.runAsync(() -> writeAll(b[0], down));
        CompletableFuture<byte[]> gotDown = CompletableFuture.supplyAsync(() -> readAll(a[0]));
        assertArrayEquals(up, readAll(b[0]));
        assertArrayEquals(down, gotDown.get(30, TimeUnit.SECONDS));
        assertEquals(up.length, upDone.get(30, TimeUnit.SECONDS));
        assertEquals(down.length, downDone.get(30, TimeUnit.SECONDS));
        CompletableFuture<Set<Integer>> left = new CompletableFuture<>();
        loop.execute(() -> left.complete(new HashSet<>(driver.registered)));
        assertEquals(Set.of(), left.get(10, TimeUnit.SECONDS), "registrations left after both ends closed");
        assertTrue(driver.wakeups.get() >= 1, "execute() did not wake the driver");
        loop.stop();
        t.join(5000);
        LinuxIo.close(a[0]);
        LinuxIo.close(b[0]);
    }

    @Test
    void timersGoToTheDriverAndStopFailsWhatIsInFlight() throws Exception {
        RecordingDriver driver = new RecordingDriver();
        RelayLoop loop = new RelayLoop(new PipePool(1 << 16, 4), 10_000, n -> { }, driver);
        Thread t = new Thread(loop, "driven-loop");
        t.start();
        CompletableFuture<Boolean> timer = new CompletableFuture<>();
        loop.execute(() -> loop.schedule(20, () -> timer.complete(loop.inLoop())));
        assertTrue(timer.get(10, TimeUnit.SECONDS), "timer not run on the loop thread");
        assertEquals(1, driver.scheduled.get());

        int[] in = connection();
        int[] out = connection();
        CompletableFuture<Long> done = new CompletableFuture<>();
        loop.submit(new RelayedTransfer(1, in[1], out[1], completion(done))); // no byte ever comes
        CompletableFuture<Integer> waiting = new CompletableFuture<>();
        while (!waiting.isDone() || waiting.get() == 0) { // until the loop waits on the source
            waiting = new CompletableFuture<>();
            CompletableFuture<Integer> w = waiting;
            loop.execute(() -> w.complete(driver.registered.size()));
            waiting.get(10, TimeUnit.SECONDS);
        }
        loop.stop();
        t.join(5000);
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> done.get(10, TimeUnit.SECONDS));
        assertEquals("relay stopped", failed.getCause().getMessage());
        assertEquals(0, loop.active());
        LinuxIo.close(in[0]);
        LinuxIo.close(out[0]);
    }
}
