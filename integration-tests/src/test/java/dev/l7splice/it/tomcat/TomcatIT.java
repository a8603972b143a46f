package dev.l7splice.it.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.Threading;
import dev.l7splice.it.support.RawHttp;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tomcat 11 response bodies ({@link TomcatApp}, its own JVM) with and without the agent: files and a
 * socket proxy, fixed-length and chunked, sizes around splice.min-bytes and Tomcat's 8 KiB buffer
 * up to 64 MiB, on Java 17 and 25. Every body is checked with SHA-256 and its framing against the
 * same request without the agent; the agent's counters prove the kernel moved the large ones (one
 * request at a time, so a counter's delta is that request's).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class TomcatIT {

    private static final long MIB = 1L << 20;
    private static final long BIG = 64 * MIB;
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

    static JavaProcess start(Path jdk, String agentArgs, int originPort) throws IOException, InterruptedException {
        return start(jdk, agentArgs, originPort, -1);
    }

    /** TomcatApp with the agent (agentArgs non-null) or without, the demo origin and a keep-alive upstream. */
    static JavaProcess start(Path jdk, String agentArgs, int originPort, int upstreamPort)
            throws IOException, InterruptedException {
        return start(jdk, agentArgs, originPort, upstreamPort, null);
    }

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
        String cp = String.join(File.pathSeparator, Path.of("target/test-classes").toAbsolutePath().toString(),
                Artifacts.demoJar().toString(), jarOf(Tomcat.class), jarOf(jakarta.annotation.Resource.class));
        List<String> args = new ArrayList<>(List.of(Integer.toString(originPort), Integer.toString(upstreamPort)));
        if (keyStore != null) {
            args.add(keyStore.toString());
        }
        JavaProcess p = JavaProcess.start(jdk, cp, opts, TomcatApp.class.getName(), args.toArray(new String[0]));
        if (agentArgs != null) {
            HttpBodies.get(p.port(), "/file/100003?mode=fixed"); // the agent registers its MBean after its first transfer
            for (int i = 0; i < 100 && Stats.of(p).files == 0; i++) {
                Thread.sleep(100);
            }
        }
        return p;
    }

    /** The app's /stats line. */
    record Stats(long files, long spliced, String fallbacks, int gzPort, int tlsPort, long virtual) {
        static Stats of(JavaProcess p) throws IOException {
            try (Socket s = RawHttp.connect(p.port())) {
                s.getOutputStream().write(RawHttp.requestHead("GET", "/stats", -1));
                RawHttp.readHead(s.getInputStream());
                String line = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                return new Stats(field(line, "files"), field(line, "spliced"),
                        line.substring(line.indexOf("fallbacks=[") + 11, line.indexOf(']')), (int) field(line, "gz"),
                        (int) field(line, "tls"), field(line, "virtual"));
            }
        }

        /**
         * Stats once {@code until} holds (at most 5 s): the request thread adds to the counters after
         * its last byte is on the wire, so a fast client can ask before they moved.
         */
        static Stats await(JavaProcess p, java.util.function.Predicate<Stats> until) throws IOException, InterruptedException {
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

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdks")
    void bodiesMatchTheSameServerWithoutTheAgentAndLargeOnesMoveInTheKernel(Path jdk, Threading threading) throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess without = start(jdk, threading, null, origin.port(), -1, null);
             JavaProcess with = start(jdk, threading, "", origin.port(), -1, null)) {
            for (long n : SIZES) {
                for (String path : List.of("/file/" + n + "?mode=fixed", "/file/" + n + "?mode=chunked",
                        "/proxy/" + n + "?mode=fixed", "/proxy/" + n + "?mode=chunked")) {
                    HttpBodies.Body plain = HttpBodies.get(without.port(), path);
                    Stats before = Stats.of(with);
                    HttpBodies.Body offloaded = HttpBodies.get(with.port(), path);
                    boolean big = n >= MIB;
                    boolean file = path.startsWith("/file/");
                    // All of a fixed-length file; a chunked one after Tomcat's first buffer and a byte; a socket after min-bytes.
                    java.util.function.Predicate<Stats> kernel = a -> !big || (file ? a.files - before.files >= n - 8193
                            : a.fallbacks.contains("no-pipe") || a.spliced - before.spliced >= n - (64 << 10));
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
            assertTrue(!with.stderrTail().contains("Exception"), with.stderrTail());
            long virtual = Stats.of(with).virtual();
            assertTrue(threading == Threading.VIRTUAL ? virtual > 0 : virtual == 0, "requests on virtual threads: " + virtual);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdks")
    void keepAliveCarriesOffloadedBodiesInARowAndTheAccessLogCountsThem(Path jdk, Threading threading) throws Exception {
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
            Stats after = Stats.await(with, a -> a.files - before.files >= BIG + MIB - 8193);
            assertTrue(after.files - before.files >= BIG + MIB - 8193, before + " -> " + after);
            String log = new String(accessLog(with), StandardCharsets.US_ASCII);
            for (int i = 0; i < 50 && !log.contains("/file/5 "); i++) { // Tomcat logs a request after its last byte went out
                Thread.sleep(100);
                log = new String(accessLog(with), StandardCharsets.US_ASCII);
            }
            // %b: the bytes Tomcat counts as written; a fixed-length body is exactly its length.
            assertTrue(log.contains("/file/" + BIG + " " + BIG + "\n"), log);
            assertTrue(log.contains("/proxy/100003 100003\n"), log);
            assertTrue(log.contains("/file/5 5\n"), log);
        }
    }

    @Test
    void wrappersCompressionAndTheSwitchKeepTomcatsCodeAndSayWhy() throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess with = start(Jdks.current(), "", origin.port());
             JavaProcess off = start(Jdks.current(), "instrumentation.tomcat.enabled=false", origin.port())) {
            HttpBodies.Body wrapped = HttpBodies.get(with.port(), "/wrapped/" + MIB);
            assertEquals(BodyPattern.sha256Hex(MIB), wrapped.sha256());
            Stats s = Stats.of(with);
            assertTrue(s.fallbacks.contains("sink-unsupported:dev.l7splice.it.tomcat.TomcatApp$PassThrough=1"), s.toString());

            long filesBefore = s.files;
            assertEquals(BodyPattern.sha256Hex(MIB), gunzipSha(s.gzPort, "/file/" + MIB + "?mode=chunked"));
            s = Stats.of(with);
            assertTrue(s.fallbacks.contains("tomcat-filter:org.apache.coyote.http11.filters.GzipOutputFilter=1"), s.toString());
            assertEquals(filesBefore, s.files, "a compressed body is Tomcat's to write");

            HttpBodies.Body b = HttpBodies.get(off.port(), "/file/" + MIB + "?mode=fixed");
            assertEquals(BodyPattern.sha256Hex(MIB), b.sha256());
            Stats o = Stats.of(off);
            assertEquals(0, o.files, o.toString());
            assertTrue(o.fallbacks.contains("sink-unsupported:org.apache.catalina.connector.CoyoteOutputStream"), o.toString());
        }
    }

    /** HTTPS: Tomcat's SecureNioChannel encrypts in user space, so its bodies stay with Tomcat, correct and counted. */
    @Test
    void tlsBodiesKeepTomcatsCodeAndSayWhy(@TempDir Path dir) throws Exception {
        Path ks = dir.resolve("ks.p12");
        Process keytool = new ProcessBuilder(Jdks.current().resolve("bin/keytool").toString(), "-genkeypair",
                "-alias", "l7", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool");
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess with = start(Jdks.current(), "", origin.port(), -1, ks)) {
            Stats before = Stats.of(with);
            String base = "https://127.0.0.1:" + before.tlsPort;
            for (String mode : List.of("fixed", "chunked")) {
                assertEquals(BodyPattern.sha256Hex(MIB), TrustAll.sha256Of(base + "/file/" + MIB + "?mode=" + mode), mode);
            }
            // Declared shorter than sink.min-bytes: left before either end is resolved, so no reason is counted.
            assertEquals(BodyPattern.sha256Hex(65_536), TrustAll.sha256Of(base + "/proxy/65536?mode=fixed"));
            Stats after = Stats.of(with);
            assertEquals(before.files, after.files, "an encrypted body is Tomcat's to write");
            assertTrue(after.fallbacks.contains("tomcat-tls=2"), after.toString());
        }
    }

    /** A client that stops reading: Tomcat's write timeout ends the response with the agent as without it. */
    @Test
    void aClientThatStopsReadingIsDroppedAfterTheWriteTimeout() throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess without = start(Jdks.current(), null, origin.port());
             JavaProcess with = start(Jdks.current(), "", origin.port())) {
            for (JavaProcess p : List.of(without, with)) {
                try (Socket s = RawHttp.connect(p.port())) {
                    s.setReceiveBufferSize(64 << 10);
                    s.getOutputStream().write(("GET /file/" + BIG + "?mode=fixed HTTP/1.1\r\nHost: t\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(6000); // longer than the 3 s write timeout
                    long got;
                    try {
                        got = RawHttp.readUpTo(s.getInputStream(), BIG + 4096);
                    } catch (IOException reset) {
                        got = -1;
                    }
                    assertTrue(got < BIG, "the response was cut: " + got + "\n" + p.stderrTail());
                }
                HttpBodies.Body next = HttpBodies.get(p.port(), "/file/" + MIB + "?mode=fixed");
                assertEquals(BodyPattern.sha256Hex(MIB), next.sha256(), "the server still serves\n" + p.stderrTail());
            }
        }
    }

    private static byte[] accessLog(JavaProcess p) throws IOException {
        try (Socket s = RawHttp.connect(p.port())) {
            s.getOutputStream().write(RawHttp.requestHead("GET", "/accesslog", -1));
            RawHttp.readHead(s.getInputStream());
            return s.getInputStream().readAllBytes();
        }
    }

    /** A request with Accept-Encoding: gzip, its body decompressed and hashed (the test JVM has no agent). */
    private static String gunzipSha(int port, String path) throws IOException, URISyntaxException {
        HttpURLConnection c = (HttpURLConnection) new URI("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setRequestProperty("Accept-Encoding", "gzip");
        assertEquals(200, c.getResponseCode());
        assertEquals("gzip", c.getHeaderField("Content-Encoding"));
        try (InputStream in = new GZIPInputStream(c.getInputStream())) {
            return RawHttp.sha256Of(in);
        }
    }

    private static String jarOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
