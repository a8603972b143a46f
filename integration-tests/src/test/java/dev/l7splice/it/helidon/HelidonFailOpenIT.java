package dev.l7splice.it.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.SharedOrigin;
import dev.l7splice.it.tomcat.HttpBodies;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent leaves to Helidon 4.5, byte-exact and with its reason counted: a stream wrapped by
 * {@code res.streamFilter} or by a gzip content encoding, the switch off, Helidon's protocol log at TRACE (a send listener that sees
 * every buffer), a queued socket writer (HTTPS: {@link HelidonTlsIT}); and the other socket Helidon can use ({@code use-nio=false},
 * its PlainSocket over the channel's adaptor), which is taken.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class HelidonFailOpenIT {

    private static final long MIB = 1L << 20;
    private static final String STREAM = "io.helidon.webserver.http1.Http1ServerResponse$ClosingBufferedOutputStream";

    private static final String LOG_LISTENER = "helidon-listener:io.helidon.webserver.http1.Http1LoggingConnectionListener";
    private static final String GZIP = "sink-unsupported:java.util.zip.GZIPOutputStream";
    private static final String QUEUED = "helidon-writer:io.helidon.common.socket.SocketWriterAsync";

    @RegisterExtension
    static final SharedOrigin ORIGIN = new SharedOrigin();

    @TempDir
    static Path dir;

    @BeforeAll
    static void java25() {
        HelidonRun.assumeJava25();
    }

    /** Both framings of a 1 MiB file and a socket body, byte-exact; the stats once {@code until} holds (at most 5 s). */
    private static HelidonStats bodies(JavaProcess p, String prefix, java.util.function.Predicate<HelidonStats> until)
            throws Exception {
        for (String path : List.of(prefix + "file/" + MIB + "?mode=fixed", prefix + "file/" + MIB + "?mode=chunked",
                prefix + "proxy/" + MIB + "?mode=chunked")) {
            HttpBodies.Body b = HttpBodies.get(p.port(), path);
            assertEquals(200, b.status(), path + "\n" + p.stderrTail());
            assertEquals(BodyPattern.sha256Hex(MIB), b.sha256(), path + "\n" + p.stderrTail());
            assertEquals(path.endsWith("chunked") ? "chunked" : "fixed", b.framing(), path);
        }
        return HelidonStats.await(p, until);
    }

    @Test
    void aStreamFilterWrapperIsNamedAndHelidonCopies() throws Exception {
        try (JavaProcess with = HelidonRun.start("", ORIGIN.port(), -1)) {
            for (String mode : List.of("fixed", "chunked")) {
                HttpBodies.Body b = HttpBodies.get(with.port(), "/wrapped/" + MIB + "?mode=" + mode);
                assertEquals(BodyPattern.sha256Hex(MIB), b.sha256(), with.stderrTail());
                assertEquals(mode, b.framing());
            }
            String wrapper = "sink-unsupported:dev.l7splice.it.helidon.AppSupport$PassThrough";
            HelidonStats s = HelidonStats.await(with, a -> a.count(wrapper) >= 2);
            assertEquals(2, s.count(wrapper), s.toString());
            assertEquals(0, s.files(), s.toString());
        }
    }

    @Test
    void compressedBodiesKeepHelidonsCodeAndNameTheStream() throws Exception {
        try (JavaProcess with = HelidonRun.start("", ORIGIN.port(), -1, "-Dapp.gzip=true")) {
            for (String mode : List.of("fixed", "chunked")) {
                URI uri = new URI("http://127.0.0.1:" + with.port() + "/file/" + MIB + "?mode=" + mode);
                HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
                c.setRequestProperty("Accept-Encoding", "gzip");
                assertEquals("gzip", c.getHeaderField("Content-Encoding"), with.stderrTail());
                try (InputStream in = new GZIPInputStream(c.getInputStream())) {
                    assertEquals(BodyPattern.sha256Hex(MIB), RawHttp.sha256Of(in), mode);
                }
            }
            HelidonStats s = HelidonStats.await(with, a -> a.count(GZIP) >= 2);
            assertEquals(0, s.files() + s.spliced(), s.toString());
            assertTrue(s.count(GZIP) >= 2, s.toString());
            // The same server, a client that does not ask for compression: taken.
            assertEquals(BodyPattern.sha256Hex(MIB), HttpBodies.get(with.port(), "/file/" + MIB + "?mode=fixed").sha256());
            assertTrue(HelidonStats.await(with, a -> a.files() >= MIB - 1).files() >= MIB - 1);
        }
    }

    @Test
    void switchedOffHelidonsStreamIsNamed() throws Exception {
        try (JavaProcess with = HelidonRun.start("instrumentation.helidon.enabled=false", ORIGIN.port(), -1)) {
            HelidonStats s = bodies(with, "/", a -> a.count("sink-unsupported:" + STREAM) >= 3);
            assertEquals(0, s.files() + s.spliced(), s.toString());
            assertTrue(s.count("sink-unsupported:" + STREAM) >= 3, s.toString());
        }
    }

    @Test
    void helidonsProtocolLogAtTraceSeesEveryBufferSoHelidonWrites() throws Exception {
        Path logging = Files.writeString(dir.resolve("logging.properties"),
                "io.helidon.webserver.http1.Http1LoggingConnectionListener.send.level = FINEST\n");
        try (JavaProcess with = HelidonRun.start("", ORIGIN.port(), -1, "-Djava.util.logging.config.file=" + logging)) {
            HelidonStats s = bodies(with, "/", a -> a.count(LOG_LISTENER) >= 3);
            assertEquals(0, s.files() + s.spliced(), s.toString());
            assertTrue(s.count(LOG_LISTENER) >= 3, s.toString());
        }
    }

    /**
     * Helidon's queued writer keeps the caller's array until its writer thread writes it, and transferTo
     * reuses its buffer: such bodies come out scrambled with or without the agent (seen with 4.5.0), so
     * only the length, the framing and the reason are checked.
     */
    @Test
    void aQueuedWriterKeepsHelidonsCode() throws Exception {
        try (JavaProcess with = HelidonRun.start("", ORIGIN.port(), -1, "-Dapp.writeQueue=32")) {
            for (String mode : List.of("fixed", "chunked")) {
                HttpBodies.Body b = HttpBodies.get(with.port(), "/file/" + MIB + "?mode=" + mode);
                assertEquals(MIB, b.bytes(), with.stderrTail());
                assertEquals(mode, b.framing());
            }
            HelidonStats s = HelidonStats.await(with, a -> a.count(QUEUED) >= 2);
            assertEquals(0, s.files() + s.spliced(), s.toString());
            assertTrue(s.count(QUEUED) >= 2, s.toString());
        }
    }

    @Test
    void helidonsStreamSocketsAreTakenToo() throws Exception {
        try (JavaProcess with = HelidonRun.start("", ORIGIN.port(), -1, "-Dapp.useNio=false")) {
            HelidonStats s = bodies(with, "/", a -> a.files() >= 2 * MIB - 16385 - 1 && a.spliced() >= MIB - (64 << 10));
            assertTrue(s.files() >= 2 * MIB - 16385 - 1, s.toString());
            assertTrue(s.spliced() >= MIB - (64 << 10), s.toString());
            assertTrue(!s.fallbacks().contains("helidon-"), s.toString());
        }
    }
}
