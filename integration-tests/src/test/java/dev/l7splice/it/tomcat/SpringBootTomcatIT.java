package dev.l7splice.it.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
 * agent: files through Spring's static resource handling, a {@code ResponseEntity<Resource>} and a handler
 * writing {@code response.getOutputStream()} itself; proxy controllers reading the {@link KeepAliveOrigin}
 * with HttpURLConnection and with Apache HttpClient 5.6.5 classic ({@code getContent().transferTo} and
 * {@code entity.writeTo}) as a {@code StreamingResponseBody}, and in a handler (an HttpClient entity, a
 * plain socket's body) into {@code response.getOutputStream()}; fixed-length and chunked both ways, Java 17
 * and 25. Every body is checked with SHA-256 and its framing against the same request without the agent,
 * and the counters prove the large ones were moved in the kernel (sent from the file or spliced). Controller
 * bodies pass Spring MVC's async lifecycle stream ({@code StandardServletAsyncWebRequest$LifecycleServletOutputStream}),
 * which the agent looks through under Spring's lock, so it is never named in a fallback. Also: two offloaded
 * controller bodies on one keep-alive connection, and a client reset mid-body, which must end the handler
 * with the same exception and Spring request state as without the agent, leak no fd and leave the server
 * serving.
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
    JavaProcess app(Path jdk, String agentArgs, int upstreamPort) throws IOException, InterruptedException {
        List<String> opts = new ArrayList<>(List.of("-Xmx256m"));
        if (agentArgs != null) {
            opts.add(JavaProcess.agent(agentArgs));
        }
        List<String> args = new ArrayList<>(List.of(Integer.toString(upstreamPort)));
        args.addAll(bootProperties());
        return JavaProcess.start(jdk, serverClassPath(), opts, SpringMvcApp.class.getName(), args.toArray(String[]::new));
    }

    /** Whether the body comparison covers {@code path} on this server (all of them here). */
    boolean covers(String path) {
        return true;
    }

    /** More Boot properties for the app ({@link SpringBootJettyIT} sets one). */
    List<String> bootProperties() {
        return List.of();
    }

    /** The app's class path, which decides its server: Tomcat here ({@link SpringBootJettyIT}: Jetty). */
    String serverClassPath() {
        return appClassPath();
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
        List<String> paths = new ArrayList<>(List.of("/static/body-" + n, "/resource/" + n, "/out/" + n + "?mode=fixed",
                "/out/" + n + "?mode=chunked", "/socket/" + n + "?mode=fixed", "/socket/" + n + "?mode=chunked"));
        for (String kind : List.of("fixed", "chunked", "eof")) {
            for (String mode : List.of("fixed", "chunked")) {
                String q = kind + "/" + n + "?mode=" + mode;
                paths.add("/url/" + q);
                paths.add("/hc/" + q + "&via=content");
                paths.add("/hc/" + q + "&via=writeTo");
                paths.add("/hcout/" + q);
            }
        }
        return paths;
    }

    /** Bodies sent from a file (the others are spliced from the upstream). */
    private static boolean fromFile(String path) {
        return path.startsWith("/static/") || path.startsWith("/resource/") || path.startsWith("/out/");
    }

    /**
     * Kernel work is checked for every large body but a chunked upstream read by HttpClient: taken, but its session
     * buffer brings up to 8 KiB of a chunk along with each size line, more than {@link #movedInKernel}'s slack
     * (TomcatHttpClientChunkedIT checks those).
     */
    private static boolean kernelExpected(String path) {
        return !(path.startsWith("/hc") && path.contains("/chunked/"));
    }

    /**
     * The agent moved {@code path}'s body in the kernel since {@code before}: all but 64 KiB of it, and for a
     * chunked upstream also what came along with its chunks' size lines (copied in user space, as in TomcatUrlConnectionIT).
     */
    static Predicate<TomcatIT.Stats> movedInKernel(TomcatIT.Stats before, String path, long n) {
        long slack = path.contains("/chunked/") ? (64 << 10) + 512 * (n / (16 << 10) + 16) : 64 << 10;
        return a -> fromFile(path) ? a.files() - before.files() >= n - slack
                : a.fallbacks().contains("no-pipe") || a.spliced() - before.spliced() >= n - slack;
    }

    static final String LIFECYCLE = "LifecycleServletOutputStream";

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void springBodiesMatchTheAppWithoutTheAgentAndStaticFilesMoveInTheKernel(Path jdk) throws Exception {
        try (JavaProcess up = upstream();
             JavaProcess without = app(jdk, null, up.port());
             JavaProcess with = app(jdk, "", up.port())) {
            for (long n : SIZES) {
                HttpBodies.get(without.port(), "/static-prepare/" + n);
                HttpBodies.get(with.port(), "/static-prepare/" + n);
                for (String path : paths(n).stream().filter(this::covers).toList()) {
                    HttpBodies.Body plain = HttpBodies.get(without.port(), path);
                    TomcatIT.Stats before = TomcatIT.Stats.of(with);
                    HttpBodies.Body offloaded = HttpBodies.get(with.port(), path);
                    boolean expect = n >= MIB && kernelExpected(path);
                    Predicate<TomcatIT.Stats> moved = movedInKernel(before, path, n);
                    Predicate<TomcatIT.Stats> kernel = a -> !expect || moved.test(a);
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
            assertTrue(s.files() >= 3 * (BIG + MIB), s.toString());
            assertTrue(s.spliced() >= 10 * (BIG + MIB), s.toString());
            // Spring's wrappers are looked through: neither the lifecycle stream nor a pass-through one is ever named.
            assertTrue(!s.fallbacks().contains(LIFECYCLE) && !s.fallbacks().contains("spring-lifecycle"), s.toString());
            assertTrue(!s.fallbacks().contains("NonFlushingOutputStream"), s.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void twoControllerBodiesOnOneKeepAliveConnectionAreBothMovedInTheKernel(Path jdk) throws Exception {
        try (JavaProcess up = upstream(); JavaProcess with = app(jdk, "", up.port())) {
            HttpBodies.get(with.port(), "/static-prepare/" + BIG);
            try (Socket c = RawHttp.connect(with.port())) {
                for (String path : List.of("/resource/" + BIG, "/url/fixed/" + BIG + "?mode=chunked",
                        "/out/" + BIG + "?mode=fixed", "/hc/fixed/" + BIG + "?mode=fixed&via=writeTo")) {
                    TomcatIT.Stats before = TomcatIT.Stats.of(with);
                    HttpBodies.Body b = HttpBodies.get(c, path);
                    String what = path + " on " + jdk + "\n" + with.stderrTail();
                    assertEquals(200, b.status(), what);
                    assertEquals(BodyPattern.sha256Hex(BIG), b.sha256(), what);
                    assertEquals(path.contains("mode=chunked") ? "chunked" : "fixed", b.framing(), what);
                    TomcatIT.Stats after = TomcatIT.Stats.await(with, movedInKernel(before, path, BIG));
                    assertTrue(movedInKernel(before, path, BIG).test(after), what + ": " + before + " -> " + after);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aClientResetMidBodyEndsTheHandlerAsWithoutTheAgent(Path jdk) throws Exception {
        try (JavaProcess up = upstream();
             JavaProcess without = app(jdk, null, up.port());
             JavaProcess with = app(jdk, "", up.port())) {
            HttpBodies.get(without.port(), "/static-prepare/" + BIG);
            HttpBodies.get(with.port(), "/static-prepare/" + BIG);
            for (boolean async : List.of(true, false)) {
                String path = "/abort/" + BIG + "?async=" + async;
                String plain = resetMidBody(without, path);
                long fdsBefore = Long.parseLong(text(with, "/fds"));
                TomcatIT.Stats before = TomcatIT.Stats.of(with);
                String offloaded = resetMidBody(with, path);
                String what = path + " on " + jdk + "\n" + with.stderrTail();
                assertTrue(plain.startsWith("org.springframework.web.context.request.async.AsyncRequestNotUsableException|prefix=true|state="),
                        what + ": " + plain);
                assertEquals(plain, offloaded, what);
                System.out.println("SpringBootTomcatIT reset " + path + " on " + jdk + ": " + offloaded);
                TomcatIT.Stats after = TomcatIT.Stats.of(with);
                assertTrue(after.files() > before.files(), what + ": the reset body was not sent from the file: " + after);
                // The server keeps serving, in the kernel, and holds no more fds than before (a new connection's at most).
                HttpBodies.Body next = HttpBodies.get(with.port(), "/resource/" + BIG);
                assertEquals(BodyPattern.sha256Hex(BIG), next.sha256(), what);
                long fds = -1;
                for (int i = 0; i < 50 && (fds = Long.parseLong(text(with, "/fds"))) > fdsBefore + 2; i++) {
                    Thread.sleep(100);
                }
                assertTrue(fds <= fdsBefore + 2, what + ": fds " + fdsBefore + " -> " + fds);
            }
        }
    }

    /** Asks for {@code path}, reads its head and 1 MiB of body, resets the connection; then what the handler's copy raised. */
    private static String resetMidBody(JavaProcess app, String path) throws IOException, InterruptedException {
        try (Socket c = RawHttp.connect(app.port())) {
            c.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            RawHttp.Response head = RawHttp.readHead(c.getInputStream());
            assertEquals(200, head.status, path);
            c.getInputStream().readNBytes((int) MIB);
            c.setSoLinger(true, 0);
        }
        String e = "";
        for (int i = 0; i < 100 && (e = text(app, "/last-error")).isEmpty(); i++) {
            Thread.sleep(100);
        }
        return e;
    }

    /** A small text body. */
    static String text(JavaProcess p, String path) throws IOException {
        try (Socket s = RawHttp.connect(p.port())) {
            s.getOutputStream().write(RawHttp.requestHead("GET", path, -1));
            RawHttp.readHead(s.getInputStream());
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
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
