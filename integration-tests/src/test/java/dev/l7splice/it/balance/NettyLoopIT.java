package dev.l7splice.it.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.ProcStats;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.RelayProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The balancer with {@code --loop netty} (readiness and timers from Netty's EpollIoHandler, the
 * bytes through our splice; issue 11's experiment) as a real process in front of real backends:
 * bodies both ways byte-exact, a backend that dies mid-body, a client that resets mid-body, and
 * no fd left behind after any of them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NettyLoopIT {

    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "netty-it-backend");
        t.setDaemon(true);
        return t;
    });
    private final List<ServerSocket> backends = new ArrayList<>();
    private RelayProcess relay;

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
        for (ServerSocket s : backends) {
            s.close();
        }
        pool.shutdownNow();
    }

    private interface Exchange {
        void serve(Socket s) throws IOException;
    }

    private int backendDoing(Exchange exchange) throws IOException {
        ServerSocket ss = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        backends.add(ss);
        pool.execute(() -> {
            while (!ss.isClosed()) {
                try {
                    Socket s = ss.accept();
                    pool.execute(() -> {
                        try (s) {
                            exchange.serve(s);
                        } catch (IOException ignored) {
                            // a fault the test made; the test fails on its own side
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return ss.getLocalPort();
    }

    /** What {@link #hashingBackend} answers to a request of {@code n} bytes. */
    private static long replyTo(long n) {
        return 3 * n + 7;
    }

    /**
     * Reads the request to the client's FIN (counting it), answers its SHA-256 on a line, then
     * {@link #replyTo} that many bytes of the pattern.
     */
    private int hashingBackend() throws IOException {
        return backendDoing(s -> {
            java.security.MessageDigest md = RawHttp.sha256();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            long n = 0;
            for (int k; (k = in.read(buf)) > 0; n += k) {
                md.update(buf, 0, k);
            }
            String hash = java.util.HexFormat.of().formatHex(md.digest());
            s.getOutputStream().write((hash + "\n").getBytes(StandardCharsets.US_ASCII));
            BodyPattern.writeTo(s.getOutputStream(), replyTo(n));
        });
    }

    private RelayProcess start(int... ports) throws Exception {
        List<String> args = new ArrayList<>(List.of("--loop", "netty", "--listen", "127.0.0.1:0"));
        for (int p : ports) {
            args.add("--server");
            args.add("127.0.0.1:" + p);
        }
        relay = RelayProcess.start(args.toArray(String[]::new));
        return relay;
    }

    /** Sends {@code requestBytes}, half-closes, checks the hash line and the whole reply. */
    private static void exchange(int port, long requestBytes) throws IOException {
        long replyBytes = replyTo(requestBytes);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    BodyPattern.writeTo(s.getOutputStream(), requestBytes);
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InputStream in = s.getInputStream();
            assertEquals(BodyPattern.sha256Hex(requestBytes), line(in), "request as sent");
            assertEquals(BodyPattern.sha256Hex(replyBytes), RawHttp.sha256Of(in), "reply whole");
            sent.join();
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            assertTrue(c >= 0, "cut before the first line: " + sb);
            sb.append((char) c);
        }
        return sb.toString();
    }

    /**
     * The relay's open fds other than pipes (sockets, epoll, eventfds, files): pipes go back to the
     * relay's pool after a transfer and are kept there (bounded by pipes-max), not leaked.
     */
    private static long nonPipeFds(long pid) {
        try (java.util.stream.Stream<java.nio.file.Path> fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + pid + "/fd"))) {
            return fds.filter(f -> {
                try {
                    return !java.nio.file.Files.readSymbolicLink(f).toString().startsWith("pipe:");
                } catch (IOException gone) {
                    return false; // closed meanwhile
                }
            }).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The count once it has not moved for half a second (a connection that just ended is still closing). */
    private static long quietFds(long pid) throws InterruptedException {
        long v = nonPipeFds(pid);
        for (int same = 0; same < 5; ) {
            Thread.sleep(100);
            long now = nonPipeFds(pid);
            same = now == v ? same + 1 : 0;
            v = now;
        }
        return v;
    }

    /** Asserts that the relay's non-pipe fds come back to at most {@code baseline}. */
    private void assertNoFdLeft(long baseline, String after) throws InterruptedException {
        long v = ProcStats.settle(() -> nonPipeFds(relay.pid()), baseline, 15_000);
        assertTrue(v <= baseline, "fds " + after + ": " + v + ", before: " + baseline);
    }

    @Test
    void bodiesBothWaysAreByteExactAndNoFdIsLeft() throws Exception {
        RelayProcess r = start(hashingBackend(), hashingBackend());
        exchange(r.listenPort, 100); // warm: Netty's and our lazily opened fds
        long baseline = quietFds(r.pid());
        exchange(r.listenPort, 32L << 20); // 32 MiB up, 96 MiB down
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            long request = i % 6 == 0 ? 2L << 20 : 200 + 37 * i;
            int port = r.listenPort;
            runs.add(pool.submit(() -> {
                exchange(port, request);
                return null;
            }));
        }
        for (Future<?> f : runs) {
            try {
                f.get(90, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError(e.getCause());
            }
        }
        assertNoFdLeft(baseline, "after the transfers");
    }

    @Test
    void aBackendThatDiesMidBodyCutsTheClientAndLeavesNoFd() throws Exception {
        long body = 64L << 20;
        int dying = backendDoing(s -> {
            s.getInputStream().readAllBytes();
            OutputStream out = s.getOutputStream();
            BodyPattern.writeTo(out, body / 4);
            out.flush();
            s.setSoLinger(true, 0); // killed: an RST after a quarter of the body
        });
        RelayProcess r = start(dying);
        try (Socket warm = new Socket(InetAddress.getLoopbackAddress(), r.listenPort)) {
            warm.shutdownOutput();
            warm.setSoTimeout(30_000);
            RawHttp.readUpTo(warm.getInputStream(), Long.MAX_VALUE);
        } catch (IOException expected) {
            // the warm-up meets the same death
        }
        long baseline = quietFds(r.pid());
        for (int i = 0; i < 5; i++) {
            long got = 0;
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), r.listenPort)) {
                s.setSoTimeout(30_000);
                s.shutdownOutput();
                got = RawHttp.readUpTo(s.getInputStream(), Long.MAX_VALUE);
            } catch (IOException reset) {
                // a reset passed on to the client: it cannot take the cut body for a whole one
                got = -1;
            }
            assertNotEquals(body, got, "a whole body from a backend that died");
        }
        assertNoFdLeft(baseline, "after the dead backends");
        assertTrue(r.process.isAlive(), "relay died");
    }

    @Test
    void aClientResetMidBodyEndsTheBackendsSideAndLeavesNoFd() throws Exception {
        CompletableFuture<Boolean> backendSawTheEnd = new CompletableFuture<>();
        int endless = backendDoing(s -> {
            s.getInputStream().readAllBytes();
            try {
                BodyPattern.writeTo(s.getOutputStream(), 8L << 30); // more than the test ever reads
                backendSawTheEnd.complete(false);
            } catch (IOException e) {
                backendSawTheEnd.complete(true); // its peer (the relay) reset or closed: the write failed
                throw e;
            }
        });
        RelayProcess r = start(endless);
        long baseline = quietFds(r.pid());
        Socket s = new Socket(InetAddress.getLoopbackAddress(), r.listenPort);
        s.setSoTimeout(30_000);
        s.shutdownOutput();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[65536];
        for (long n = 0; n < 16L << 20; ) {
            int k = in.read(buf);
            assertTrue(k > 0, "body cut early");
            n += k;
        }
        s.setSoLinger(true, 0);
        s.close(); // an RST mid-body
        assertTrue(backendSawTheEnd.get(30, TimeUnit.SECONDS), "the backend's write did not fail");
        assertNoFdLeft(baseline, "after the client's reset");
        assertTrue(r.process.isAlive(), "relay died");
    }

    @Test
    void theHandoffSocketIsRefusedWithAClearError() throws Exception {
        java.nio.file.Path err = java.nio.file.Files.createTempFile("l7it-netty", ".err");
        Process p = new ProcessBuilder(dev.l7splice.it.support.Jdks.java(dev.l7splice.it.support.Jdks.current()), "-jar",
                dev.l7splice.it.support.Artifacts.relayJar().toString(), "--loop", "netty",
                "--handoff-socket", err.getParent().resolve("l7it-netty-" + ProcessHandle.current().pid() + ".sock").toString())
                .redirectErrorStream(true).redirectOutput(err.toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the relay did not exit");
        assertEquals(2, p.exitValue());
        String text = java.nio.file.Files.readString(err);
        assertTrue(text.contains("--loop netty serves the balancer only"), text);
    }
}
