package dev.l7splice.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.kernel.PipeLease;
import dev.l7splice.kernel.PipePool;
import dev.l7splice.kernel.PipeSource;
import dev.l7splice.kernel.nativeio.LinuxIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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

    /** Reads to EOF in 16 KiB steps with a pause after each: the relay's writes fill the socket and wait. */
    private static byte[] readAllSlowly(int fd) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        for (;;) {
            int r = LinuxIo.read(fd, buf, 0, buf.length);
            if (r > 0) {
                out.write(buf, 0, r);
                Thread.sleep(0, 200_000);
            } else if (r == 0) {
                return out.toByteArray();
            } else {
                LinuxIo.poll(fd, LinuxIo.POLLIN, 1000);
            }
        }
    }

    private static byte[] relay(PipeSource pipes, byte[] prefix, byte[] body, AtomicLong copied) throws Exception {
        return relay(pipes, prefix, body, copied, false);
    }

    private static byte[] relay(PipeSource pipes, byte[] prefix, byte[] body, AtomicLong copied, boolean slowReader)
            throws Exception {
        try (RunningLoop running = RunningLoop.start(pipes)) {
            RelayLoop loop = running.loop();
            int[] in = connection();
            int[] out = connection();
            CompletableFuture<Long> done = new CompletableFuture<>();
            loop.submit(new RelayedTransfer(1, in[1], out[1], completion(done))
                    .withPrefix(prefix).withFlags(RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF));
            CompletableFuture.runAsync(() -> writeAll(in[0], body));
            byte[] got = slowReader ? readAllSlowly(out[0]) : readAll(out[0]);
            assertEquals(prefix.length + body.length, done.get(30, TimeUnit.SECONDS));
            copied.set(loop.copiedBytes());
            LinuxIo.close(in[0]);
            LinuxIo.close(out[0]);
            return got;
        }
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
        byte[] body = new byte[3 << 20];
        new Random(4).nextBytes(body);
        AtomicLong copied = new AtomicLong();
        assertArrayEquals(body, relay(noPipes(), new byte[0], body, copied));
        assertEquals(body.length, copied.get());
    }

    /** Copied without a pipe to a reader slower than the source: chunks the destination takes only in part. */
    @Test
    void withNoPipeSpareASlowReaderGetsEveryByteInOrder() throws Exception {
        byte[] prefix = "held by the application".getBytes();
        byte[] body = new byte[12 << 20];
        new Random(5).nextBytes(body);
        AtomicLong copied = new AtomicLong();
        assertArrayEquals(expected(prefix, body), relay(noPipes(), prefix, body, copied, true));
        assertEquals(body.length, copied.get());
    }

    private static PipeSource noPipes() {
        return new PipeSource() {
            @Override
            public PipeLease acquire() {
                return null;
            }

            @Override
            public void release(PipeLease pipe) {
                throw new AssertionError("never lent");
            }
        };
    }

    /**
     * The two directions of one connection over the same two fds (as the balancer runs them): each
     * socket's registration serves both, the server's reply outlives the client's half-close, the
     * client reads late (the reply waits on backpressure after the server hung up), and both fds
     * are closed once both directions have ended.
     */
    @Test
    void bothDirectionsOfOneConnectionShareTheirSockets() throws Exception {
        try (RunningLoop running = RunningLoop.start(new PipePool(1 << 16, 4))) {
            RelayLoop loop = running.loop();
            int[] a = connection(); // a[0]: the client, a[1]: the relay's side of it
            int[] b = connection(); // b[1]: the relay's side towards the server, b[0]: the server
            LinuxIo.setNonBlocking(b[0]);
            LinuxIo.setNonBlocking(a[1]);
            CompletableFuture<Long> upDone = new CompletableFuture<>();
            CompletableFuture<Long> downDone = new CompletableFuture<>();
            byte[] request = new byte[300_000];
            byte[] reply = new byte[24 << 20];
            new Random(5).nextBytes(request);
            new Random(6).nextBytes(reply);
            RelayedTransfer up = new RelayedTransfer(1, a[1], b[1], completion(upDone))
                    .withPrefix("HEAD".getBytes()).withFlags(RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF);
            RelayedTransfer down = new RelayedTransfer(2, b[1], a[1], completion(downDone))
                    .withFlags(RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF);
            loop.execute(() -> loop.startNow(up, down));
            CompletableFuture.runAsync(() -> writeAll(a[0], request));
            CompletableFuture<byte[]> atServer = CompletableFuture.supplyAsync(() -> readAll(b[0]));
            assertArrayEquals(expected("HEAD".getBytes(), request), atServer.get(30, TimeUnit.SECONDS));
            assertEquals(4 + request.length, upDone.get(30, TimeUnit.SECONDS));
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                writeAll(b[0], reply); // then hangs up while the client has not read it all
                LinuxIo.close(b[0]);
            });
            Thread.sleep(300);
            assertTrue(Files.exists(Path.of("/proc/self/fd/" + a[1])), () -> "open while the reply is relayed; down: " + downDone + " served " + served);
            assertArrayEquals(reply, readAll(a[0]));
            served.get(30, TimeUnit.SECONDS);
            assertEquals(reply.length, downDone.get(30, TimeUnit.SECONDS));
            assertEquals(0, loop.active());
            assertTrue(!Files.exists(Path.of("/proc/self/fd/" + a[1])) && !Files.exists(Path.of("/proc/self/fd/" + b[1])),
                    "both fds closed once both directions ended");
            LinuxIo.close(a[0]);
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

    /** The client's request and FIN are there before the relay starts: that direction ends at once. */
    @Test
    void aDirectionThatEndsAtOnceLeavesTheOtherItsSockets() throws Exception {
        try (RunningLoop running = RunningLoop.start(new PipePool(1 << 16, 4))) {
            RelayLoop loop = running.loop();
            int[] a = connection();
            int[] b = connection();
            LinuxIo.setNonBlocking(a[1]);
            writeAll(a[0], "GET /\r\n".getBytes()); // and shuts its output down
            Thread.sleep(100);
            CompletableFuture<Long> upDone = new CompletableFuture<>();
            CompletableFuture<Long> downDone = new CompletableFuture<>();
            loop.execute(() -> loop.startNow(new RelayedTransfer(1, a[1], b[1], completion(upDone))
                            .withFlags(RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF),
                    new RelayedTransfer(2, b[1], a[1], completion(downDone)).withFlags(RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF)));
            assertEquals(7, upDone.get(30, TimeUnit.SECONDS));
            LinuxIo.setNonBlocking(b[0]);
            assertArrayEquals("GET /\r\n".getBytes(), readAll(b[0]));
            byte[] reply = new byte[1 << 20];
            new Random(7).nextBytes(reply);
            CompletableFuture.runAsync(() -> writeAll(b[0], reply));
            assertArrayEquals(reply, readAll(a[0]));
            assertEquals(reply.length, downDone.get(30, TimeUnit.SECONDS));
            LinuxIo.close(a[0]);
            LinuxIo.close(b[0]);
        }
    }

    /** A completion that throws must not stop the loop: the next transfer is still relayed. */
    @Test
    void aThrowingCompletionDoesNotStopTheLoop() throws Exception {
        try (RunningLoop running = RunningLoop.start(new PipePool(1 << 16, 4))) {
            RelayLoop loop = running.loop();
            int[] in = connection();
            int[] out = connection();
            CompletableFuture<Long> reached = new CompletableFuture<>();
            loop.submit(new RelayedTransfer(1, in[1], out[1], new RelayedTransfer.Completion() {
                @Override
                public void done(RelayedTransfer t, long bytes) {
                    reached.complete(bytes);
                    throw new IllegalStateException("a caller's bug");
                }

                @Override
                public void failed(RelayedTransfer t, IOException cause) {
                    reached.completeExceptionally(cause);
                }
            }).withFlags(RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF));
            writeAll(in[0], "first".getBytes());
            assertArrayEquals("first".getBytes(), readAll(out[0]));
            assertEquals(5, reached.get(30, TimeUnit.SECONDS));
            assertTrue(running.thread().isAlive(), "the loop survived");
            int[] in2 = connection();
            int[] out2 = connection();
            CompletableFuture<Long> second = new CompletableFuture<>();
            loop.submit(new RelayedTransfer(2, in2[1], out2[1], completion(second)).withFlags(RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF));
            byte[] body = new byte[1 << 20];
            new Random(8).nextBytes(body);
            CompletableFuture.runAsync(() -> writeAll(in2[0], body));
            assertArrayEquals(body, readAll(out2[0]));
            assertEquals(body.length, second.get(30, TimeUnit.SECONDS));
            for (int fd : new int[] {in[0], out[0], in2[0], out2[0]}) {
                LinuxIo.close(fd);
            }
        }
    }

    /**
     * A process that did not run (a stopped JVM; here the loop's thread held by a task for 6 s) is
     * nobody's idleness: an idle transfer with a 3 s timeout is not failed by the pause, still is
     * once it has really been idle that long, and then resets both of its peers (RESET_ON_FAILURE).
     */
    @Test
    void aPauseOfTheProcessDoesNotCountTowardsTheIdleTimeout() throws Exception {
        try (RunningLoop running = RunningLoop.start(new PipePool(1 << 16, 4))) {
            RelayLoop loop = running.loop();
            int[] in = connection();
            int[] out = connection();
            CompletableFuture<Long> ended = new CompletableFuture<>();
            loop.submit(new RelayedTransfer(1, in[1], out[1], completion(ended))
                    .withIdleTimeout(3000).withFlags(RelayedTransfer.RESET_ON_FAILURE));
            loop.execute(() -> {
                try {
                    Thread.sleep(6000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread.sleep(7000);
            assertFalse(ended.isDone(), "failed by a pause of its own process");
            ExecutionException idle = assertThrows(ExecutionException.class, () -> ended.get(10, TimeUnit.SECONDS));
            assertTrue(idle.getCause().getMessage().contains("idle"), idle.toString());
            byte[] buf = new byte[16];
            LinuxIo.poll(in[0], LinuxIo.POLLIN, 5000);
            LinuxIo.poll(out[0], LinuxIo.POLLIN, 5000);
            assertEquals(-104, LinuxIo.read(in[0], buf, 0, buf.length), "the source's peer sees a reset");
            assertEquals(-104, LinuxIo.read(out[0], buf, 0, buf.length), "the destination's peer sees a reset");
            LinuxIo.close(in[0]);
            LinuxIo.close(out[0]);
        }
    }

    /** A relay loop on its own thread; closing stops it and waits for the thread, also when a test fails. */
    private record RunningLoop(RelayLoop loop, Thread thread) implements AutoCloseable {

        static RunningLoop start(PipeSource pipes) throws IOException {
            RelayLoop loop = new RelayLoop(pipes, 10_000, n -> { });
            Thread thread = new Thread(loop, "relay-test");
            thread.start();
            return new RunningLoop(loop, thread);
        }

        @Override
        public void close() throws InterruptedException {
            loop.stop();
            thread.join(5000);
        }
    }
}
