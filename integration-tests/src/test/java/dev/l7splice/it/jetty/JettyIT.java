package dev.l7splice.it.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.Threading;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.tomcat.HttpBodies;
import dev.l7splice.it.tomcat.KeepAliveOrigin;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jetty 12 (ee10) response bodies ({@link JettyApp}, its own JVM) with and without the agent: files,
 * a socket proxy and an HttpURLConnection proxy, fixed-length and chunked, sizes around
 * splice.min-bytes and Jetty's 32 KiB buffer up to 64 MiB, on Java 17 and 25. Every body is checked
 * with SHA-256 and its framing against the same request without the agent; the agent's counters
 * prove the kernel moved the large ones (one request at a time, so a counter's delta is that request's).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class JettyIT {

    static final long MIB = 1L << 20;
    static final long BIG = 64 * MIB;
    private static final List<Long> SIZES = List.of(0L, 1L, 32767L, 32768L, 32769L, MIB, BIG);

    /** Every JDK present on platform threads, and Java 25 with the server's handlers on virtual threads. */
    static List<Arguments> jdks() {
        List<Arguments> out = new ArrayList<>();
        for (Path jdk : Jdks.all()) {
            out.add(Arguments.of(jdk, Threading.PLATFORM));
        }
        if (Threading.present().contains(Threading.VIRTUAL)) {
            out.add(Arguments.of(Threading.VIRTUAL.jdk(), Threading.VIRTUAL));
        }
        return out;
    }

    /** Jetty's jars (and the servlet API and slf4j they need) from this JVM's class path, nothing else. */
    private static String jettyClassPath() {
        List<String> cp = new ArrayList<>(List.of(Path.of("target/test-classes").toAbsolutePath().toString(),
                Artifacts.demoJar().toString()));
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.contains("/org/eclipse/jetty/") || e.contains("jakarta.servlet-api") || e.contains("/org/slf4j/"))
                .forEach(cp::add);
        return String.join(File.pathSeparator, cp);
    }

    /** JettyApp with the agent (agentArgs non-null) or without. */
    static JavaProcess start(Path jdk, String agentArgs, int originPort, int upstreamPort, Path keyStore)
            throws IOException, InterruptedException {
        return start(jdk, Threading.PLATFORM, agentArgs, originPort, upstreamPort, keyStore);
    }

    /** Same, the server's request handlers on virtual threads for {@link Threading#VIRTUAL}. */
    static JavaProcess start(Path jdk, Threading threading, String agentArgs, int originPort, int upstreamPort,
                             Path keyStore) throws IOException, InterruptedException {
        List<String> opts = new ArrayList<>(List.of("-Xmx256m"));
        if (threading == Threading.VIRTUAL) {
            opts.add("-Dl7it.threads=virtual");
        }
        if (agentArgs != null) {
            opts.add(JavaProcess.agent(agentArgs));
        }
        List<String> args = new ArrayList<>(List.of(Integer.toString(originPort), Integer.toString(upstreamPort)));
        if (keyStore != null) {
            args.add(keyStore.toString());
        }
        JavaProcess p = JavaProcess.start(jdk, jettyClassPath(), opts, JettyApp.class.getName(), args.toArray(new String[0]));
        if (agentArgs != null) {
            HttpBodies.get(p.port(), "/file/100003?mode=fixed"); // the agent registers its MBean after its first transfer
            for (int i = 0; i < 100 && Stats.of(p).files == 0 && !agentArgs.contains("jetty.enabled=false"); i++) {
                Thread.sleep(100);
            }
        }
        return p;
    }

    static JavaProcess upstream() throws IOException, InterruptedException {
        return JavaProcess.start(Jdks.current(), Path.of("target/test-classes").toAbsolutePath() + ":" + Artifacts.demoJar(),
                List.of("-Xmx128m"), KeepAliveOrigin.class.getName());
    }

    /** The app's /stats line. */
    record Stats(long files, long spliced, String fallbacks, int tlsPort, long fds, long virtual) {
        static Stats of(JavaProcess p) throws IOException {
            String line = new String(body(p, "/stats"), StandardCharsets.US_ASCII).trim();
            return new Stats(field(line, "files"), field(line, "spliced"),
                    line.substring(line.indexOf("fallbacks=[") + 11, line.indexOf(']')), (int) field(line, "tls"),
                    field(line, "fds"), field(line, "virtual"));
        }

        /** Stats once {@code until} holds (at most 5 s): the request thread counts after its last byte is on the wire. */
        static Stats await(JavaProcess p, Predicate<Stats> until) throws IOException, InterruptedException {
            Stats s = of(p);
            for (int i = 0; i < 50 && !until.test(s); i++) {
                Thread.sleep(100);
                s = of(p);
            }
            return s;
        }

        private static long field(String line, String name) {
            for (String f : line.split(" ")) {
                if (f.startsWith(name + "=")) {
                    return Long.parseLong(f.substring(name.length() + 1));
                }
            }
            throw new IllegalArgumentException(name + " not in " + line);
        }
    }

    /** A plain GET's whole body (Content-Length), on a connection of its own. */
    static byte[] body(JavaProcess p, String path) throws IOException {
        try (Socket s = RawHttp.connect(p.port())) {
            s.getOutputStream().write(RawHttp.requestHead("GET", path, -1));
            RawHttp.Response head = RawHttp.readHead(s.getInputStream());
            return s.getInputStream().readNBytes(Integer.parseInt(head.header("content-length")));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdks")
    void bodiesMatchTheSameServerWithoutTheAgentAndLargeOnesMoveInTheKernel(Path jdk, Threading threading) throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess up = upstream();
             JavaProcess without = start(jdk, threading, null, origin.port(), up.port(), null);
             JavaProcess with = start(jdk, threading, "", origin.port(), up.port(), null)) {
            for (long n : SIZES) {
                for (String path : List.of("/file/" + n + "?mode=fixed", "/file/" + n + "?mode=chunked",
                        "/proxy/" + n + "?mode=fixed", "/proxy/" + n + "?mode=chunked", "/url/fixed/" + n + "?mode=fixed",
                        "/url/fixed/" + n + "?mode=chunked", "/url/chunked/" + n + "?mode=chunked")) {
                    HttpBodies.Body plain = HttpBodies.get(without.port(), path);
                    Stats before = Stats.of(with);
                    HttpBodies.Body offloaded = HttpBodies.get(with.port(), path);
                    boolean big = n >= MIB;
                    boolean file = path.startsWith("/file/");
                    // A chunked upstream: its size lines are read in user space with up to 512 bytes of data each.
                    long slack = path.startsWith("/url/chunked") ? (64 << 10) + 512 * (n / (16 << 10) + 16) : 64 << 10;
                    // All of a fixed-length file; a chunked one after Jetty's first buffer and a byte; a socket after min-bytes.
                    Predicate<Stats> kernel = a -> !big || (file ? a.files - before.files >= n - (32 << 10) - 1
                            : a.fallbacks.contains("no-pipe") || a.spliced - before.spliced >= n - slack);
                    Stats after = Stats.await(with, kernel);
                    String what = path + " on " + jdk + " " + threading + "\n" + with.stderrTail();
                    assertEquals(200, offloaded.status(), what);
                    assertEquals(n, offloaded.bytes(), what);
                    assertEquals(BodyPattern.sha256Hex(n), offloaded.sha256(), what);
                    assertEquals(plain.framing(), offloaded.framing(), what);
                    assertEquals(plain.sha256(), offloaded.sha256(), what);
                    assertTrue(kernel.test(after), what + ": " + before + " -> " + after);
                }
            }
            Stats s = Stats.of(with);
            // jetty-closed: a copy into a body Jetty had already completed (nothing left to send).
            assertTrue(!s.fallbacks.replaceAll("jetty-closed=\\d+", "").contains("jetty"), s.toString());
            assertTrue(!with.stderrTail().contains("Exception"), with.stderrTail());
            long virtual = Stats.of(with).virtual();
            assertTrue(threading == Threading.VIRTUAL ? virtual > 0 : virtual == 0, "requests on virtual threads: " + virtual);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdks")
    void keepAliveCarriesOffloadedBodiesInARowAndTheRequestLogCountsThem(Path jdk, Threading threading) throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess with = start(jdk, threading, "", origin.port(), -1, null)) {
            Stats before = Stats.of(with);
            List<String> paths = List.of("/file/" + BIG + "?mode=fixed", "/proxy/" + MIB + "?mode=chunked",
                    "/file/" + MIB + "?mode=chunked", "/proxy/100003?mode=fixed", "/file/5?mode=fixed");
            try (Socket s = RawHttp.connect(with.port())) {
                for (String path : paths) {
                    long n = Long.parseLong(path.substring(path.indexOf('/', 1) + 1, path.indexOf('?')));
                    HttpBodies.Body b = HttpBodies.get(s, path);
                    assertEquals(BodyPattern.sha256Hex(n), b.sha256(), path + "\n" + with.stderrTail());
                    assertEquals(path.endsWith("fixed") ? "fixed" : "chunked", b.framing(), path);
                }
            }
            Stats after = Stats.await(with, a -> a.files - before.files >= BIG + MIB - (32 << 10) - 1);
            assertTrue(after.files - before.files >= BIG + MIB - (32 << 10) - 1, before + " -> " + after);
            String log = requestLog(with, "/file/5 ");
            // %O: Jetty's count of the response's content bytes, exactly the body's length.
            for (String line : List.of("/file/" + BIG + " " + BIG, "/proxy/" + MIB + " " + MIB, "/file/" + MIB + " " + MIB,
                    "/proxy/100003 100003", "/file/5 5")) {
                assertTrue(log.contains(line + "\n"), line + " in\n" + log);
            }
        }
    }

    /** Jetty's request log once it has a line containing {@code awaited} (Jetty logs after the last byte went out). */
    static String requestLog(JavaProcess p, String awaited) throws IOException, InterruptedException {
        String log = new String(body(p, "/requestlog"), StandardCharsets.US_ASCII);
        for (int i = 0; i < 50 && !log.contains(awaited); i++) {
            Thread.sleep(100);
            log = new String(body(p, "/requestlog"), StandardCharsets.US_ASCII);
        }
        return log;
    }
}
