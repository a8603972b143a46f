package dev.l7splice.it.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.Artifacts;
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
 * A Spring Boot 4.0.7 MVC app on its Tomcat 11 ({@link SpringMvcApp}, its own JVM) with and without the
 * agent: files through Spring's static resource handling and a {@code ResponseEntity<Resource>}, and
 * proxy controllers ({@code StreamingResponseBody}) reading the {@link KeepAliveOrigin} with
 * HttpURLConnection and with Apache HttpClient 5.6.5 classic ({@code getContent().transferTo} and
 * {@code entity.writeTo}), fixed-length and chunked both ways, Java 17 and 25. Every body is checked
 * with SHA-256 and its framing against the same request without the agent. Static files go through
 * Spring's NonFlushingOutputStream straight onto Tomcat's stream, and the counters prove the large ones
 * were sent from the file in the kernel. Controller bodies also pass Spring MVC's async lifecycle
 * wrapper ({@code StandardServletAsyncWebRequest$LifecycleServletOutputStream}: a lock and a state
 * check around every write), which the agent does not see through: they stay with Spring's and
 * Tomcat's code, and that wrapper is named in the fallback reasons.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class SpringBootTomcatIT {

    private static final long MIB = 1L << 20;
    private static final long BIG = 64 * MIB;
    private static final List<Long> SIZES = List.of(0L, 1L, 32767L, 32768L, 32769L, MIB, BIG);

    static List<Path> jdks() {
        return Jdks.all();
    }

    static JavaProcess upstream() throws IOException, InterruptedException {
        return JavaProcess.start(Jdks.current(), Path.of("target/test-classes").toAbsolutePath() + ":" + Artifacts.demoJar(),
                List.of("-Xmx128m"), KeepAliveOrigin.class.getName());
    }

    /** The app with the agent (agentArgs non-null) or without; the test JVM's class path carries Boot, Tomcat and HttpClient. */
    static JavaProcess app(Path jdk, String agentArgs, int upstreamPort) throws IOException, InterruptedException {
        List<String> opts = new ArrayList<>(List.of("-Xmx256m"));
        if (agentArgs != null) {
            opts.add(JavaProcess.agent(agentArgs));
        }
        return JavaProcess.start(jdk, appClassPath(), opts, SpringMvcApp.class.getName(), Integer.toString(upstreamPort));
    }

    /**
     * The test JVM's class path without the agent's and the relay's own jars (the agent must come only from
     * -javaagent), without slf4j-simple (Boot brings Logback and refuses a second provider) and without Jetty.
     */
    static String appClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.contains("l7splice-agent") && !e.contains("l7splice-relay-sidecar") && !e.contains("slf4j-simple")
                        && !e.contains("/agent/target/") && !e.contains("/relay-sidecar/target/")
                        && !e.contains("/org/eclipse/jetty/")) // the Jetty tests' server: not this app's
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** Paths whose bodies come from a file, and through each client, with the framing asked for. */
    private static List<String> paths(long n) {
        List<String> paths = new ArrayList<>(List.of("/static/body-" + n, "/resource/" + n));
        for (String kind : List.of("fixed", "chunked", "eof")) {
            for (String mode : List.of("fixed", "chunked")) {
                String q = kind + "/" + n + "?mode=" + mode;
                paths.add("/url/" + q);
                paths.add("/hc/" + q + "&via=content");
                paths.add("/hc/" + q + "&via=writeTo");
            }
        }
        return paths;
    }

    /** Kernel work is expected for big static files; controller bodies pass Spring's lifecycle wrapper. */
    private static boolean kernelExpected(String path) {
        return path.startsWith("/static/");
    }

    static final String LIFECYCLE = "sink-unsupported:org.springframework.web.context.request.async."
            + "StandardServletAsyncWebRequest$LifecycleServletOutputStream";

    /** How often the lifecycle wrapper was named. */
    private static long lifecycleCount(TomcatIT.Stats s) {
        int at = s.fallbacks().indexOf(LIFECYCLE + "=");
        if (at < 0) {
            return 0;
        }
        String rest = s.fallbacks().substring(at + LIFECYCLE.length() + 1);
        return Long.parseLong(rest.split("[ ,\\]]")[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void springBodiesMatchTheAppWithoutTheAgentAndStaticFilesMoveInTheKernel(Path jdk) throws Exception {
        try (JavaProcess up = upstream();
             JavaProcess without = app(jdk, null, up.port());
             JavaProcess with = app(jdk, "", up.port())) {
            for (long n : SIZES) {
                HttpBodies.get(without.port(), "/static-prepare/" + n);
                HttpBodies.get(with.port(), "/static-prepare/" + n);
                for (String path : paths(n)) {
                    HttpBodies.Body plain = HttpBodies.get(without.port(), path);
                    TomcatIT.Stats before = TomcatIT.Stats.of(with);
                    HttpBodies.Body offloaded = HttpBodies.get(with.port(), path);
                    boolean expect = n >= MIB && kernelExpected(path);
                    Predicate<TomcatIT.Stats> kernel = a -> !expect || a.files() - before.files() >= n - (64 << 10);
                    TomcatIT.Stats after = TomcatIT.Stats.await(with, kernel);
                    String what = path + " on " + jdk + "\n" + with.stderrTail();
                    assertEquals(plain.status(), offloaded.status(), what);
                    if (plain.status() == 200) {
                        assertEquals(BodyPattern.sha256Hex(n), plain.sha256(), what);
                        assertEquals(BodyPattern.sha256Hex(n), offloaded.sha256(), what);
                        assertEquals(plain.framing(), offloaded.framing(), what);
                    } else {
                        assertTrue(path.equals("/static/body-0"), what + ": " + plain.status()); // Spring's 404 for an empty file
                    }
                    assertTrue(kernel.test(after), what + ": " + before + " -> " + after);
                }
            }
            TomcatIT.Stats s = TomcatIT.Stats.of(with);
            System.out.println("SpringBootTomcatIT " + jdk + ": " + s);
            assertTrue(s.files() >= BIG + MIB, s.toString());
            // Fail-open, counted and named: the controller bodies' lifecycle wrapper, never Spring's pass-through one.
            // Every controller body that reached the agent (a file, or an HTTP client's body it takes) is counted there.
            assertTrue(lifecycleCount(s) >= SIZES.size() * 13L, s.toString());
            assertTrue(!s.fallbacks().contains("NonFlushingOutputStream"), s.toString());
        }
    }

    static long connections(JavaProcess upstream) throws IOException {
        try (var s = dev.l7splice.it.support.RawHttp.connect(upstream.port())) {
            s.getOutputStream().write("GET /connections HTTP/1.1\r\nHost: o\r\n\r\n".getBytes());
            var head = dev.l7splice.it.support.RawHttp.readHead(s.getInputStream());
            return Long.parseLong(new String(s.getInputStream().readNBytes(Integer.parseInt(head.header("content-length")))).trim());
        }
    }
}
