package dev.l7splice.it.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A proxy servlet on Tomcat 11 that reads its upstream ({@link KeepAliveOrigin}, its own JVM) with
 * HttpURLConnection and copies with {@code transferTo}: upstream bodies of a declared length and to
 * end of stream and chunked ones (only their chunk data) are spliced into the response, fixed-length
 * or chunked, and the upstream connection goes back to the JDK's keep-alive cache (counted at the
 * origin); an upstream body cut short fails as it does without the agent. Bodies are compared with
 * the same servlet without the agent.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class TomcatUrlConnectionIT {

    private static final long MIB = 1L << 20;
    private static final long BIG = 64 * MIB;
    private static final List<Long> SIZES = List.of(0L, 1L, 32767L, 32768L, 32769L, MIB, BIG);

    static List<Path> jdks() {
        return Jdks.all();
    }

    private static JavaProcess upstream() throws IOException, InterruptedException {
        return JavaProcess.start(Jdks.current(), Path.of("target/test-classes").toAbsolutePath() + ":" + Artifacts.demoJar(),
                List.of("-Xmx128m"), KeepAliveOrigin.class.getName());
    }

    private static long connections(JavaProcess upstream) throws IOException {
        return Long.parseLong(new String(rawBody(upstream.port(), "/connections")).trim());
    }

    private static byte[] rawBody(int port, String path) throws IOException {
        try (var s = dev.l7splice.it.support.RawHttp.connect(port)) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: o\r\n\r\n").getBytes());
            var head = dev.l7splice.it.support.RawHttp.readHead(s.getInputStream());
            return s.getInputStream().readNBytes(Integer.parseInt(head.header("content-length")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void upstreamBodiesAreSplicedIntoTheResponseAndMatchTheJdksCopy(Path jdk) throws Exception {
        try (JavaProcess up = upstream();
             JavaProcess without = TomcatIT.start(jdk, null, -1, up.port());
             JavaProcess with = TomcatIT.start(jdk, "", -1, up.port())) {
            for (long n : SIZES) {
                for (String kind : List.of("fixed", "eof", "chunked")) {
                    for (String mode : List.of("fixed", "chunked")) {
                        String path = "/url/" + kind + "/" + n + "?mode=" + mode;
                        HttpBodies.Body plain = HttpBodies.get(without.port(), path);
                        TomcatIT.Stats before = TomcatIT.Stats.of(with);
                        HttpBodies.Body offloaded = HttpBodies.get(with.port(), path);
                        // A chunked upstream: its size lines are read in user space with up to 512 bytes of data each.
                        long slack = kind.equals("chunked") ? (64 << 10) + 512 * (n / (16 << 10) + 16) : 64 << 10;
                        java.util.function.Predicate<TomcatIT.Stats> kernel = a -> n < MIB || a.fallbacks().contains("no-pipe")
                                || a.spliced() - before.spliced() >= n - slack;
                        TomcatIT.Stats after = TomcatIT.Stats.await(with, kernel);
                        String what = path + " on " + jdk + "\n" + with.stderrTail();
                        assertEquals(200, offloaded.status(), what);
                        assertEquals(BodyPattern.sha256Hex(n), offloaded.sha256(), what);
                        assertEquals(plain.framing(), offloaded.framing(), what);
                        assertTrue(kernel.test(after), what + ": " + before + " -> " + after);
                    }
                }
            }
            TomcatIT.Stats s = TomcatIT.Stats.of(with);
            assertTrue(!s.fallbacks().contains("ChunkedInputStream"), s.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anUpstreamBodyCutShortFailsTheResponseAsWithoutTheAgent(Path jdk) throws Exception {
        try (JavaProcess up = upstream();
             JavaProcess without = TomcatIT.start(jdk, null, -1, up.port());
             JavaProcess with = TomcatIT.start(jdk, "", -1, up.port())) {
            for (JavaProcess p : List.of(without, with)) {
                for (String mode : List.of("fixed", "chunked")) {
                    String path = "/url/cut/" + (4 * MIB) + "?mode=" + mode;
                    try {
                        HttpBodies.Body b = HttpBodies.get(p.port(), path);
                        throw new AssertionError("a cut body arrived whole: " + b + "\n" + p.stderrTail());
                    } catch (IOException expected) {
                        // the response ends short, as Tomcat ends it when the servlet's copy fails
                    }
                }
                HttpBodies.Body next = HttpBodies.get(p.port(), "/url/chunked/" + MIB + "?mode=chunked");
                assertEquals(BodyPattern.sha256Hex(MIB), next.sha256(), p.stderrTail());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theUpstreamConnectionIsReusedAfterEachSplicedBody(Path jdk) throws Exception {
        try (JavaProcess up = upstream();
             JavaProcess with = TomcatIT.start(jdk, "", -1, up.port())) {
            long before = connections(up);
            // A chunked upstream into a fixed-length response is left out: there the client has the whole body
            // before the JDK reads the last chunk and frees the connection, with or without the agent.
            for (String path : List.of("/url/fixed/" + MIB + "?mode=chunked", "/url/fixed/" + BIG + "?mode=fixed",
                    "/url/chunked/100003?mode=chunked", "/url/chunked/" + BIG + "?mode=chunked", "/url/fixed/1?mode=chunked",
                    "/url/fixed/" + MIB + "?mode=fixed")) {
                long n = Long.parseLong(path.substring(path.lastIndexOf('/') + 1, path.indexOf('?')));
                HttpBodies.Body b = HttpBodies.get(with.port(), path);
                assertEquals(BodyPattern.sha256Hex(n), b.sha256(), path + "\n" + with.stderrTail());
            }
            // One upstream connection for all six bodies (plus this query's own).
            assertEquals(before + 2, connections(up), with.stderrTail());
            long least = 2 * BIG + 2 * MIB - 4 * (64 << 10) - 512 * (BIG / (16 << 10));
            TomcatIT.Stats s = TomcatIT.Stats.await(with, a -> a.spliced() >= least);
            assertTrue(s.spliced() >= least, s.toString());
        }
    }
}
