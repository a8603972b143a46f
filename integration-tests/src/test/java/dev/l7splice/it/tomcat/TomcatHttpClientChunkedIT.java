package dev.l7splice.it.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.ProcStats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Chunked upstream bodies through Apache HttpClient 5.6.5 classic and 4.5.14 ({@link HttpClientTomcatApp},
 * a plain embedded Tomcat 11 in its own JVM) with and without the agent, Java 17 and 25: random chunk
 * sizes, with and without chunk extensions and trailers, through {@code getContent().transferTo} and
 * {@code entity.writeTo}, into fixed-length and chunked responses: SHA-256 and framing equal, large
 * bodies spliced and no fallback counted; the pooled upstream connection reused after each (the
 * origin's accepts counted); a connection ending inside a chunk and an invalid size line end the
 * servlet with the same exception (class and message) as without the agent, no fd left, the next request served.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class TomcatHttpClientChunkedIT {

    private static final long MIB = 1L << 20;
    private static final long BIG = 64 * MIB;
    private static final List<Long> SIZES = List.of(0L, 1L, 32767L, 32768L, 32769L, MIB, BIG);

    static List<Path> jdks() {
        return Jdks.all();
    }

    /**
     * All but the first bytes (splice.min-bytes, a Tomcat buffer) and what comes along with each size line (the
     * agent fills the library's session buffer with at most 256 bytes before its parser reads a line).
     */
    private static long least(long n) {
        return n - (64 << 10) - 256 * (n / (64 << 10) + 16);
    }

    /** No fallback names a chunked stream or the library's state. */
    private static void assertNoChunkedFallback(TomcatIT.Stats s) {
        assertFalse(s.fallbacks().contains("ChunkedInputStream") || s.fallbacks().contains("httpclient-"), s.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void chunkedUpstreamBodiesAreSplicedAndMatchTheLibrarysCopy(Path jdk) throws Exception {
        try (JavaProcess up = SpringBootTomcatIT.upstream();
             JavaProcess without = TomcatHttpClientIT.app(jdk, null, up.port());
             JavaProcess with = TomcatHttpClientIT.app(jdk, "", up.port())) {
            for (long n : SIZES) {
                for (String kind : List.of("chunked", "chunkx")) {
                    for (String q : List.of("mode=fixed&via=content&lib=5", "mode=chunked&via=writeTo&lib=5",
                            "mode=chunked&via=content&lib=4", "mode=fixed&via=writeTo&lib=4")) {
                        String path = "/hc/" + kind + "/" + n + "?" + q;
                        HttpBodies.Body plain = HttpBodies.get(without.port(), path);
                        TomcatIT.Stats before = TomcatIT.Stats.of(with);
                        HttpBodies.Body offloaded = HttpBodies.get(with.port(), path);
                        boolean expect = n >= MIB;
                        Predicate<TomcatIT.Stats> kernel = a -> !expect || a.fallbacks().contains("no-pipe")
                                || a.spliced() - before.spliced() >= least(n);
                        TomcatIT.Stats after = TomcatIT.Stats.await(with, kernel);
                        String what = path + " on " + jdk + "\n" + with.stderrTail();
                        assertEquals(200, plain.status(), what);
                        assertEquals(200, offloaded.status(), what);
                        assertEquals(BodyPattern.sha256Hex(n), plain.sha256(), what);
                        assertEquals(BodyPattern.sha256Hex(n), offloaded.sha256(), what);
                        assertEquals(plain.framing(), offloaded.framing(), what);
                        assertTrue(kernel.test(after), what + ": " + before + " -> " + after);
                    }
                }
            }
            TomcatIT.Stats s = TomcatIT.Stats.of(with);
            System.out.println("TomcatHttpClientChunkedIT " + jdk + ": " + s);
            assertNoChunkedFallback(s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void thePooledUpstreamConnectionIsReusedAfterEachChunkedBody(Path jdk) throws Exception {
        try (JavaProcess up = SpringBootTomcatIT.upstream();
             JavaProcess with = TomcatHttpClientIT.app(jdk, "", up.port())) {
            for (String lib : List.of("5", "4")) {
                HttpBodies.get(with.port(), "/hc/fixed/1?mode=fixed&lib=" + lib); // the pool's connection
                awaitIdle(with.port());
                long before = SpringBootTomcatIT.connections(up);
                long spliced = TomcatIT.Stats.of(with).spliced();
                List<String> paths = List.of("/hc/chunkx/" + BIG + "?mode=chunked&via=content", "/hc/chunked/" + MIB + "?mode=fixed",
                        "/hc/chunkx/0?mode=chunked", "/hc/chunked/" + BIG + "?mode=fixed&via=writeTo",
                        "/hc/chunkx/" + MIB + "?mode=chunked&via=writeTo", "/hc/chunked/1?mode=fixed");
                for (String path : paths) {
                    long n = Long.parseLong(path.substring(path.lastIndexOf('/') + 1, path.indexOf('?')));
                    String full = path + "&lib=" + lib;
                    HttpBodies.Body b = HttpBodies.get(with.port(), full);
                    assertEquals(200, b.status(), full + "\n" + with.stderrTail());
                    assertEquals(BodyPattern.sha256Hex(n), b.sha256(), full + "\n" + with.stderrTail());
                    awaitIdle(with.port()); // the servlet gave its connection back (see TomcatHttpClientIT)
                    long now = SpringBootTomcatIT.connections(up);
                    assertEquals(before + 1, now, full + " opened a new upstream connection\n" + with.stderrTail());
                    before = now;
                }
                long want = spliced + least(2 * BIG) + least(2 * MIB);
                TomcatIT.Stats s = TomcatIT.Stats.await(with, a -> a.spliced() >= want);
                assertTrue(s.spliced() >= want, "lib " + lib + ": " + s);
                assertNoChunkedFallback(s);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aCutOrInvalidChunkFailsAsWithoutTheAgentAndLeavesNoFd(Path jdk) throws Exception {
        try (JavaProcess up = SpringBootTomcatIT.upstream();
             JavaProcess without = TomcatHttpClientIT.app(jdk, null, up.port());
             JavaProcess with = TomcatHttpClientIT.app(jdk, "", up.port())) {
            for (JavaProcess p : List.of(without, with)) {
                HttpBodies.get(p.port(), "/hc/fixed/1?mode=fixed&lib=5"); // pools, classes and buffers in place first
                HttpBodies.get(p.port(), "/hc/fixed/1?mode=fixed&lib=4");
                awaitIdle(p.port());
            }
            long fds = ProcStats.openFds(with.pid());
            long spliced = TomcatIT.Stats.of(with).spliced();
            for (String kind : List.of("cut", "badchunk")) {
                for (String q : List.of("mode=chunked&via=content&lib=5", "mode=fixed&via=writeTo&lib=5",
                        "mode=chunked&via=content&lib=4", "mode=chunked&via=writeTo&lib=4")) {
                    String path = "/hc/" + kind + "/" + (8 * MIB) + "?" + q;
                    String plain = failure(without, path);
                    String offloaded = failure(with, path);
                    String what = path + " on " + jdk + "\n" + with.stderrTail();
                    assertTrue(plain.contains("Chunk") || plain.contains("ConnectionClosed"), plain + " " + what);
                    assertEquals(plain, offloaded, what);
                    // The next request is served (a new upstream connection: the cut one was not reused).
                    HttpBodies.Body next = HttpBodies.get(with.port(), "/hc/chunked/" + MIB + "?" + q);
                    assertEquals(BodyPattern.sha256Hex(MIB), next.sha256(), what);
                    awaitIdle(with.port());
                }
            }
            TomcatIT.Stats s = TomcatIT.Stats.of(with);
            assertTrue(s.spliced() - spliced >= 8 * 3 * MIB, "the good halves were spliced: " + s); // 8 faults, 4 MiB each
            assertNoChunkedFallback(s);
            long after = ProcStats.settle(() -> ProcStats.openFdsUnchecked(with.pid()), fds + 2, 15_000);
            assertTrue(after <= fds + 2, "fds " + fds + " -> " + after + "\n" + with.stderrTail());
        }
    }

    /** Requests {@code path} (its response is cut), then the exception the servlet ended with (class and message). */
    private static String failure(JavaProcess p, String path) throws Exception {
        try {
            HttpBodies.get(p.port(), path);
        } catch (IOException expected) {
            // the response was committed: Tomcat cuts it
        }
        awaitIdle(p.port());
        try (InputStream in = java.net.URI.create("http://127.0.0.1:" + p.port() + "/lasterror").toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }

    private static void awaitIdle(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!busy(port).equals("0")) {
            assertTrue(System.nanoTime() < deadline, "the proxy request never gave its upstream connection back");
            Thread.sleep(10);
        }
    }

    private static String busy(int port) throws IOException {
        try (InputStream in = java.net.URI.create("http://127.0.0.1:" + port + "/busy").toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }
}
