package dev.l7splice.it.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.AgentCounters;
import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.ProcStats;
import dev.l7splice.it.support.RawHttp;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files to sockets with sendfile(2): FileInputStream.transferTo, Files.copy,
 * Files.newInputStream().transferTo, the api's bounded sendFile, and com.sun.net.httpserver
 * fixed-length bodies (also two on one keep-alive connection), on Java 17 and 25. Every body is
 * checked with SHA-256; the agent's BytesSentFromFiles proves the kernel path (one request at a
 * time, so the counter's delta is this request's).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class FilesIT {

    private static final long BIG = 64L << 20;
    private static final List<Long> SIZES = List.of(0L, 1L, 100_003L, BIG);
    private static final List<String> TARGETS = List.of("fis", "copy", "nio", "range");

    static List<Path> jdks() {
        return Jdks.all();
    }

    static JavaProcess start(Path jdk, String agentArgs) throws IOException, InterruptedException {
        return start(jdk, agentArgs, -1);
    }

    static JavaProcess start(Path jdk, String agentArgs, int originPort) throws IOException, InterruptedException {
        List<String> opts = new ArrayList<>(List.of("-Xmx256m"));
        if (agentArgs != null) {
            opts.add(JavaProcess.agent(agentArgs));
        }
        String cp = String.join(File.pathSeparator, Path.of("target/test-classes").toAbsolutePath().toString(),
                Artifacts.demoJar().toString(), Artifacts.apiJar().toString());
        return JavaProcess.start(jdk, cp, opts, FileTargetServer.class.getName(), Integer.toString(originPort));
    }

    /** The server's /stats line: "files=N hs=PORT". */
    private static String[] stats(JavaProcess p) throws IOException {
        try (Socket s = RawHttp.connect(p.port())) {
            s.getOutputStream().write(RawHttp.requestHead("GET", "/stats", -1));
            InputStream in = s.getInputStream();
            RawHttp.readHead(in);
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
        }
    }

    static long filesCounter(JavaProcess p) throws IOException {
        return Long.parseLong(stats(p)[0].substring("files=".length()));
    }

    static int httpServerPort(JavaProcess p) throws IOException {
        return Integer.parseInt(stats(p)[1].substring("hs=".length()));
    }

    /** First transfer registers the MBean (asynchronously): wait until the counter shows it. */
    static void awaitCounter(JavaProcess p) throws Exception {
        expect(p.port(), "/fis/100003", 100_003);
        for (int i = 0; i < 100 && filesCounter(p) == 0; i++) {
            Thread.sleep(100);
        }
        assertTrue(filesCounter(p) > 0, p.stderrTail());
    }

    static void expect(int port, String path, long n) throws IOException {
        RawHttp.Response r = RawHttp.get(port, path);
        assertEquals(200, r.status, path);
        assertEquals(n, r.bodyBytes, path);
        assertEquals(BodyPattern.sha256Hex(n), r.sha256, path);
    }

    /** {@link #expect}, and every byte of the body counted as sent from the file (BytesSentFromFiles). */
    static void expectFromFile(JavaProcess p, int port, String path, long n, String what) throws IOException {
        long before = filesCounter(p);
        expect(port, path, n);
        assertEquals(n, filesCounter(p) - before, what + "\n" + p.stderrTail());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void everyWayIsByteExactAndSentFromTheFile(Path jdk) throws Exception {
        try (JavaProcess p = start(jdk, "sink.min-bytes=0")) { // the httpserver sink's kernel path at every size
            awaitCounter(p);
            int hs = httpServerPort(p);
            for (long n : SIZES) {
                for (String t : TARGETS) {
                    expectFromFile(p, p.port(), "/" + t + "/" + n, n, t + " n=" + n + " on " + jdk);
                }
                expectFromFile(p, hs, "/hs/" + n, n, "httpserver n=" + n + " on " + jdk);
            }
            assertFalse(p.stderrTail().contains("failed"), p.stderrTail());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void httpServerKeepAliveServesTwoOffloadedBodiesOnOneConnection(Path jdk) throws Exception {
        try (JavaProcess p = start(jdk, "sink.min-bytes=0")) {
            awaitCounter(p);
            int hs = httpServerPort(p);
            long before = filesCounter(p);
            try (Socket s = RawHttp.connect(hs)) {
                for (long n : List.of(BIG, 100_003L)) {
                    s.getOutputStream().write(("GET /hs/" + n + " HTTP/1.1\r\nHost: t\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    RawHttp.Response head = RawHttp.readHead(s.getInputStream());
                    assertEquals(Long.toString(n), head.header("content-length"), head.toString());
                    assertEquals(BodyPattern.sha256Hex(n), sha256Of(s.getInputStream(), n));
                }
            }
            assertEquals(BIG + 100_003L, filesCounter(p) - before, p.stderrTail());
        }
    }

    /** With the defaults a short file into the httpserver response is the JDK's copy (sink.min-bytes), a long one is sent from the file. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aShortBodyIntoTheHttpServerStaysWithTheJdk(Path jdk) throws Exception {
        try (JavaProcess p = start(jdk, "")) {
            awaitCounter(p);
            int hs = httpServerPort(p);
            long before = filesCounter(p);
            expect(hs, "/hs/100003", 100_003);
            assertEquals(0, filesCounter(p) - before, "below sink.min-bytes (256k): copied by the JDK");
            expectFromFile(p, hs, "/hs/" + BIG, BIG, "above it: sent from the file");
        }
    }

    /** A proxy on com.sun.net.httpserver: the origin's socket stream spliced into the response, keep-alive kept. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void httpServerProxyBodiesFromASocketAreSpliced(Path jdk) throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess p = start(jdk, "splice.min-bytes=0", origin.port())) {
            int hs = httpServerPort(p);
            for (long n : SIZES) {
                expect(hs, "/proxy/" + n, n);
            }
            AgentCounters c = AgentCounters.of(p.pid());
            if (!c.fallbacksByReason.contains("no-pipe")) {
                assertTrue(c.bytesSpliced >= BIG - (64 << 10), c.toString());
            }
            try (Socket s = RawHttp.connect(hs)) { // two on one connection
                for (long n : List.of(BIG, 100_003L)) {
                    s.getOutputStream().write(("GET /proxy/" + n + " HTTP/1.1\r\nHost: t\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    RawHttp.Response head = RawHttp.readHead(s.getInputStream());
                    assertEquals(Long.toString(n), head.header("content-length"), head.toString());
                    assertEquals(BodyPattern.sha256Hex(n), sha256Of(s.getInputStream(), n));
                }
            }
            assertFalse(p.stderrTail().contains("failed"), p.stderrTail());
        }
    }

    /** offload=inprocess: files still go out inline, with sendfile, on the calling thread. */
    @Test
    void inTheHandOffModeFilesAreSentInline() throws Exception {
        try (JavaProcess p = start(Jdks.current(), "offload=inprocess")) {
            awaitCounter(p);
            int hs = httpServerPort(p);
            for (String path : List.of("/fis/", "/range/", "/copy/")) {
                expectFromFile(p, p.port(), path + BIG, BIG, path);
            }
            expect(hs, "/hs/" + BIG, BIG);
            assertFalse(p.stderrTail().contains("failed"), p.stderrTail());
        }
    }

    @Test
    void togglesOffGiveTheSameBytesWithoutTheKernelPath() throws Exception {
        try (JavaProcess p = start(Jdks.current(),
                "instrumentation.file-transfer.enabled=false,instrumentation.httpserver.enabled=false")) {
            int hs = httpServerPort(p);
            for (long n : List.of(1L, 100_003L, 8L << 20)) {
                for (String t : TARGETS) {
                    expect(p.port(), "/" + t + "/" + n, n);
                }
                expect(hs, "/hs/" + n, n);
            }
            assertEquals(0, filesCounter(p));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aClientResetMidFileIsAnIOExceptionAndLeaksNoFd(Path jdk) throws Exception {
        try (JavaProcess p = start(jdk, "")) {
            awaitCounter(p);
            int hs = httpServerPort(p);
            long fdsBefore = ProcStats.openFds(p.pid());
            for (String path : List.of("/fis/" + BIG, "/nio/" + BIG)) {
                resetAfterSome(p.port(), path);
            }
            resetAfterSome(hs, "/hs/" + BIG);
            long fds = ProcStats.settle(() -> ProcStats.openFdsUnchecked(p.pid()), fdsBefore, 10_000);
            assertTrue(fds <= fdsBefore, "fds " + fdsBefore + " -> " + fds);
            for (int i = 0; i < 50 && countFailures(p) < 3; i++) {
                Thread.sleep(100);
            }
            assertEquals(3, countFailures(p), p.stderrTail());
            expect(p.port(), "/fis/100003", 100_003); // still serving
            assertTrue(ProcStats.appCpuOver(p.pid(), 1000) < 0.3, "idle after the resets");
        }
    }

    private static long countFailures(JavaProcess p) throws IOException {
        return p.output().lines().filter(l -> l.contains("request failed") && l.contains("Exception")).count();
    }

    private static void resetAfterSome(int port, String path) throws IOException {
        try (Socket s = RawHttp.connect(port)) {
            s.setReceiveBufferSize(64 << 10);
            s.getOutputStream().write(RawHttp.requestHead("GET", path, -1));
            assertEquals(1 << 20, RawHttp.readUpTo(s.getInputStream(), 1 << 20));
            s.setSoLinger(true, 0);
        }
    }

    /** SHA-256 (hex) of exactly {@code n} bytes of {@code in}, leaving what follows unread. */
    private static String sha256Of(InputStream in, long n) throws IOException {
        java.security.MessageDigest md = RawHttp.sha256();
        byte[] buf = new byte[256 * 1024];
        for (long left = n; left > 0; ) {
            int k = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (k < 0) {
                throw new IOException("end of stream with " + left + " bytes to go");
            }
            md.update(buf, 0, k);
            left -= k;
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }
}
