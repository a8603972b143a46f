package dev.l7splice.it.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.SharedOrigin;
import dev.l7splice.it.tomcat.HttpBodies;
import dev.l7splice.it.tomcat.KeepAliveOrigin;
import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.Jdks;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Helidon 4.5 SE response bodies ({@link HelidonRun}: HelidonApp on Java 25, every request on a
 * virtual thread) with and without the agent: its static-content handler, a file handler, a socket
 * proxy and an HttpURLConnection proxy, fixed-length and chunked, sizes around splice.min-bytes and
 * Helidon's first-write choice of framing up to 256 MiB. Every body is checked with SHA-256 and its
 * framing against the same request without the agent; the agent's counters prove the kernel moved
 * the large ones (one request at a time, so a counter's delta is that request's). Helidon's own
 * WebClient bodies of a declared length are a source too ({@link HelidonWebClientIT}: its pooled
 * connection reused); chunked ones stay Helidon's, counted as source-unsupported, byte-exact.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class HelidonIT {

    static final long MIB = 1L << 20;
    static final long BIG = 256 * MIB;
    private static final List<Long> SIZES = List.of(0L, 1L, 32767L, 32768L, 32769L, MIB, BIG);
    /** Helidon WebClient's stream for a chunked body, below its response.inputStream(): not a source the agent takes. */
    static final String WEBCLIENT_CHUNKED = "io.helidon.webclient.http1.Http1CallChainBase$ChunkedInputStream";

    @RegisterExtension
    static final SharedOrigin ORIGIN = new SharedOrigin();
    static JavaProcess upstream;

    @BeforeAll
    static void upstream() throws Exception {
        HelidonRun.assumeJava25();
        upstream = keepAliveUpstream();
    }

    /** The keep-alive upstream the HttpURLConnection and WebClient handlers ask (its own JVM, no agent). */
    static JavaProcess keepAliveUpstream() throws IOException, InterruptedException {
        return JavaProcess.start(Jdks.current(), Path.of("target/test-classes").toAbsolutePath() + ":" + Artifacts.demoJar(),
                List.of("-Xmx128m"), KeepAliveOrigin.class.getName());
    }

    @AfterAll
    static void stopUpstream() throws InterruptedException {
        if (upstream != null) {
            upstream.close();
        }
    }

    static JavaProcess start(String agentArgs) throws IOException, InterruptedException {
        return HelidonRun.start(agentArgs, ORIGIN.port(), upstream.port());
    }

    /** The paths for one size; the 256 MiB ones only for a file, static, a socket and a fixed upstream. */
    private static List<String> paths(long n) {
        List<String> p = new ArrayList<>(List.of("/file/" + n + "?mode=fixed", "/file/" + n + "?mode=chunked",
                "/static/body-" + n, "/proxy/" + n + "?mode=chunked", "/url/fixed/" + n + "?mode=fixed"));
        if (n < BIG) {
            p.addAll(List.of("/proxy/" + n + "?mode=fixed", "/url/fixed/" + n + "?mode=chunked",
                    "/url/chunked/" + n + "?mode=chunked", "/webclient/fixed/" + n + "?mode=fixed",
                    "/webclient/fixed/" + n + "?mode=chunked", "/webclient/chunked/" + n + "?mode=chunked"));
        }
        return p;
    }

    @Test
    void bodiesMatchTheSameServerWithoutTheAgentAndLargeOnesMoveInTheKernel() throws Exception {
        try (JavaProcess without = start(null); JavaProcess with = start("")) {
            for (long n : SIZES) {
                for (String path : paths(n)) {
                    HttpBodies.Body plain = HttpBodies.get(without.port(), path);
                    HelidonStats before = HelidonStats.of(with);
                    HttpBodies.Body offloaded = HttpBodies.get(with.port(), path);
                    boolean big = n >= MIB && !path.startsWith("/webclient/chunked/");
                    boolean file = path.startsWith("/file/") || path.startsWith("/static/");
                    // A chunked upstream: its size lines are read in user space with up to 512 bytes of data each.
                    long slack = path.startsWith("/url/chunked") ? (64 << 10) + 512 * (n / (16 << 10) + 16) : 64 << 10;
                    // A fixed-length file after one byte through Helidon; a chunked one after its first write and a byte.
                    Predicate<HelidonStats> kernel = a -> !big || (file ? a.files() - before.files() >= n - 16385
                            : a.fallbacks().contains("no-pipe") || a.spliced() - before.spliced() >= n - slack);
                    HelidonStats after = HelidonStats.await(with, kernel);
                    String what = path + "\n" + with.stderrTail();
                    assertEquals(200, offloaded.status(), what);
                    assertEquals(n, offloaded.bytes(), what);
                    assertEquals(BodyPattern.sha256Hex(n), offloaded.sha256(), what);
                    assertEquals(plain.framing(), offloaded.framing(), what);
                    assertEquals(plain.sha256(), offloaded.sha256(), what);
                    assertTrue(kernel.test(after), what + ": " + before + " -> " + after);
                }
            }
            HelidonStats s = HelidonStats.of(with);
            assertTrue(s.count("source-unsupported:" + WEBCLIENT_CHUNKED) > 0, s.toString());
            assertTrue(!s.fallbacks().contains("helidon-") && !s.fallbacks().contains("virtual-thread"), s.toString());
            assertTrue(!with.stderrTail().contains("Exception") && !with.stderrTail().contains("WARNING"), with.stderrTail());
        }
    }

    @Test
    void keepAliveCarriesOffloadedBodiesInARow() throws Exception {
        try (JavaProcess with = start("")) {
            HttpBodies.get(with.port(), "/file/5?mode=fixed"); // the agent registers its MBean after its first transfer
            HelidonStats before = HelidonStats.of(with);
            List<String> paths = List.of("/file/" + BIG + "?mode=fixed", "/proxy/" + MIB + "?mode=chunked",
                    "/file/" + MIB + "?mode=chunked", "/static/body-" + MIB, "/url/fixed/" + MIB + "?mode=fixed",
                    "/proxy/100003?mode=fixed", "/file/5?mode=fixed");
            try (Socket s = RawHttp.connect(with.port())) {
                for (String path : paths) {
                    long n = Long.parseLong(path.replaceAll(".*[/-](\\d+)(\\?.*)?$", "$1"));
                    HttpBodies.Body b = HttpBodies.get(s, path);
                    assertEquals(BodyPattern.sha256Hex(n), b.sha256(), path + "\n" + with.stderrTail());
                    assertEquals(path.endsWith("chunked") ? "chunked" : "fixed", b.framing(), path);
                }
            }
            long files = BIG + 2 * MIB - 3 * 16385;
            HelidonStats after = HelidonStats.await(with, a -> a.files() - before.files() >= files);
            assertTrue(after.files() - before.files() >= files, before + " -> " + after);
            assertTrue(after.spliced() - before.spliced() >= 2 * MIB - (128 << 10), before + " -> " + after);
        }
    }
}
