package dev.l7splice.it.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * smiley-http-proxy-servlet 2.0 on Tomcat 11 ({@link SmileyProxyTomcatApp}, its own JVM) with and
 * without the agent, Java 17 and 25: upstream bodies with a Content-Length go through HttpClient 4.5's
 * {@code entity.writeTo} and are spliced, as are bodies to end of stream, and the pooled upstream
 * connection is reused; chunked
 * upstream bodies go through the servlet's own loop (no copy the agent sees). SHA-256 and framing
 * compared with the proxy without the agent.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class SmileyProxyIT {

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
        return JavaProcess.start(jdk, SpringBootTomcatIT.appClassPath(), opts, SmileyProxyTomcatApp.class.getName(),
                Integer.toString(upstreamPort));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void proxiedBodiesMatchTheProxyWithoutTheAgentAndFixedOnesAreSpliced(Path jdk) throws Exception {
        try (JavaProcess up = SpringBootTomcatIT.upstream();
             JavaProcess without = app(jdk, null, up.port());
             JavaProcess with = app(jdk, "", up.port())) {
            for (long n : SIZES) {
                for (String kind : List.of("fixed", "eof", "chunked")) {
                    String path = "/proxy/" + kind + "/" + n;
                    HttpBodies.Body plain = HttpBodies.get(without.port(), path);
                    TomcatIT.Stats before = TomcatIT.Stats.of(with);
                    HttpBodies.Body offloaded = HttpBodies.get(with.port(), path);
                    boolean expect = n >= MIB && !kind.equals("chunked");
                    Predicate<TomcatIT.Stats> kernel = a -> !expect || a.fallbacks().contains("no-pipe")
                            || a.spliced() - before.spliced() >= n - (64 << 10);
                    TomcatIT.Stats after = TomcatIT.Stats.await(with, kernel);
                    String what = path + " on " + jdk + "\n" + with.stderrTail();
                    assertEquals(200, plain.status(), what);
                    assertEquals(200, offloaded.status(), what);
                    assertEquals(BodyPattern.sha256Hex(n), plain.sha256(), what);
                    assertEquals(BodyPattern.sha256Hex(n), offloaded.sha256(), what);
                    assertEquals(plain.framing(), offloaded.framing(), what);
                    assertTrue(kernel.test(after), what + ": " + before + " -> " + after);
                    Thread.sleep(100); // HttpClient frees its connection after the copy returns (see TomcatHttpClientIT)
                }
            }
            // Reuse: the proxy with the agent serves these over its one pooled upstream connection.
            long connectionsBefore = SpringBootTomcatIT.connections(up);
            for (long n : List.of(BIG, MIB, 1L, MIB)) {
                HttpBodies.Body b = HttpBodies.get(with.port(), "/proxy/fixed/" + n);
                assertEquals(BodyPattern.sha256Hex(n), b.sha256(), with.stderrTail());
                Thread.sleep(200);
            }
            assertEquals(connectionsBefore + 1, SpringBootTomcatIT.connections(up), with.stderrTail());
        }
    }
}
