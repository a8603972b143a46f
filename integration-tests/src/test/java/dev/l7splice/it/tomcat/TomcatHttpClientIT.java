package dev.l7splice.it.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A plain embedded Tomcat 11 servlet proxying the {@link KeepAliveOrigin} with Apache HttpClient 5.6.5
 * classic ({@link HttpClientTomcatApp}, its own JVM), with and without the agent, Java 17 and 25:
 * upstream bodies of a declared length and to end of stream are spliced into fixed-length and chunked
 * responses, through {@code getContent().transferTo} and {@code entity.writeTo}, and so are chunked
 * upstream bodies (their size lines read by the library; more in {@link TomcatHttpClientChunkedIT}). The pooled upstream connection is reused after each spliced body
 * (connections counted at the origin). SHA-256 and framing compared with the app without the agent.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class TomcatHttpClientIT {

    private static final long MIB = 1L << 20;
    private static final long BIG = 64 * MIB;
    private static final List<Long> SIZES = List.of(0L, 1L, 32767L, 32768L, 32769L, MIB, BIG);

    static List<Path> jdks() {
        return Jdks.all();
    }

    static JavaProcess app(Path jdk, String agentArgs, int upstreamPort) throws IOException, InterruptedException {
        List<String> opts = new ArrayList<>(List.of("-Xmx256m"));
        if (agentArgs != null) {
            opts.add(JavaProcess.agent(agentArgs));
        }
        return JavaProcess.start(jdk, SpringBootTomcatIT.appClassPath(), opts, HttpClientTomcatApp.class.getName(),
                Integer.toString(upstreamPort));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void upstreamBodiesAreSplicedIntoTheResponseAndMatchTheLibrarysCopy(Path jdk) throws Exception {
        try (JavaProcess up = SpringBootTomcatIT.upstream();
             JavaProcess without = app(jdk, null, up.port());
             JavaProcess with = app(jdk, "", up.port())) {
            for (long n : SIZES) {
                for (String kind : List.of("fixed", "eof", "chunked")) {
                    for (String q : List.of("mode=fixed&via=content", "mode=chunked&via=content", "mode=fixed&via=writeTo",
                            "mode=chunked&via=writeTo")) {
                        String path = "/hc/" + kind + "/" + n + "?" + q;
                        HttpBodies.Body plain = HttpBodies.get(without.port(), path);
                        TomcatIT.Stats before = TomcatIT.Stats.of(with);
                        HttpBodies.Body offloaded = HttpBodies.get(with.port(), path);
                        boolean expect = n >= MIB;
                        // A chunk's first bytes may come along with its size line (at most 256 of them).
                        long least = n - (64 << 10) - (kind.equals("chunked") ? 256 * (n / (64 << 10) + 16) : 0);
                        Predicate<TomcatIT.Stats> kernel = a -> !expect || a.fallbacks().contains("no-pipe")
                                || a.spliced() - before.spliced() >= least;
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
            System.out.println("TomcatHttpClientIT " + jdk + ": " + s);
            assertTrue(!s.fallbacks().contains("ChunkedInputStream") && !s.fallbacks().contains("httpclient-"), s.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void thePooledUpstreamConnectionIsReusedAfterEachSplicedBody(Path jdk) throws Exception {
        try (JavaProcess up = SpringBootTomcatIT.upstream();
             JavaProcess with = app(jdk, "", up.port())) {
            HttpBodies.get(with.port(), "/hc/fixed/1?mode=fixed"); // the pool's connection
            awaitIdle(with.port()); // given back to the pool (see below), or the next request opens another
            long before = SpringBootTomcatIT.connections(up);
            List<String> paths = List.of("/hc/fixed/" + BIG + "?mode=fixed&via=content", "/hc/fixed/" + MIB + "?mode=chunked",
                    "/hc/fixed/" + BIG + "?mode=chunked&via=writeTo", "/hc/fixed/1?mode=chunked",
                    "/hc/fixed/" + MIB + "?mode=fixed&via=writeTo", "/hc/fixed/100003?mode=fixed");
            for (String path : paths) {
                long n = Long.parseLong(path.substring(path.lastIndexOf('/') + 1, path.indexOf('?')));
                HttpBodies.Body b = HttpBodies.get(with.port(), path);
                assertEquals(200, b.status(), path + "\n" + with.stderrTail());
                assertEquals(BodyPattern.sha256Hex(n), b.sha256(), path + "\n" + with.stderrTail());
                // HttpClient frees the connection once the copy has returned (the sensor's -1, or writeTo's end),
                // with or without the agent: a fixed-length body can be complete at the client a moment before.
                // So the next request waits until the servlet has given its connection back.
                awaitIdle(with.port());
                // Each body came over the one pooled connection: the only new one is this query's own.
                long now = SpringBootTomcatIT.connections(up);
                assertEquals(before + 1, now, path + " opened a new upstream connection\n" + with.stderrTail());
                before = now;
            }
            long least = 2 * BIG + 2 * MIB - 4 * (64 << 10);
            TomcatIT.Stats s = TomcatIT.Stats.await(with, a -> a.spliced() >= least);
            assertTrue(s.spliced() >= least, s.toString());
        }
    }

    private static void awaitIdle(int port) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (!busy(port).equals("0")) {
            assertTrue(System.nanoTime() < deadline, "the proxy request never gave its upstream connection back");
            Thread.sleep(10);
        }
    }

    private static String busy(int port) throws java.io.IOException {
        try (InputStream in = java.net.URI.create("http://127.0.0.1:" + port + "/busy").toURL().openStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
        }
    }
}
