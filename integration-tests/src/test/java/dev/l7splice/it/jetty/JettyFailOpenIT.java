package dev.l7splice.it.jetty;

import static dev.l7splice.it.jetty.JettyIT.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.jetty.JettyIT.Stats;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.tomcat.HttpBodies;
import dev.l7splice.it.tomcat.TrustAll;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What keeps Jetty's own code ({@link JettyApp}, with the agent): a wrapper stream, a GzipHandler,
 * TLS, the switch, and Jetty's DefaultServlet (which never reaches {@code transferTo}). Bodies are
 * byte-exact and each reason is counted; nothing moves in the kernel there.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JettyFailOpenIT {

    @Test
    void wrappersCompressionTheSwitchAndTheDefaultServletKeepJettysCode() throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess with = JettyIT.start(Jdks.current(), "", origin.port(), -1, null);
             JavaProcess off = JettyIT.start(Jdks.current(), "instrumentation.jetty.enabled=false", origin.port(), -1, null)) {
            HttpBodies.Body wrapped = HttpBodies.get(with.port(), "/wrapped/" + MIB);
            assertEquals(BodyPattern.sha256Hex(MIB), wrapped.sha256());
            Stats s = Stats.of(with);
            assertTrue(s.fallbacks().contains("sink-unsupported:dev.l7splice.it.jetty.JettyApp$PassThrough=1"), s.toString());

            long filesBefore = s.files();
            for (String mode : List.of("fixed", "chunked")) {
                assertEquals(BodyPattern.sha256Hex(MIB), gunzipSha(with.port(), "/gz/file/" + MIB + "?mode=" + mode), mode);
            }
            s = Stats.of(with);
            assertTrue(s.fallbacks().contains("jetty-response:org.eclipse.jetty.server.handler.gzip.GzipResponseAndCallback=2"),
                    s.toString());
            assertEquals(filesBefore, s.files(), "a compressed body is Jetty's to write");

            // Jetty's DefaultServlet writes files from its own buffers, never through transferTo: nothing to take, nothing counted.
            HttpBodies.Body statics = HttpBodies.get(with.port(), "/static/body-" + MIB);
            assertEquals(BodyPattern.sha256Hex(MIB), statics.sha256());
            Stats afterStatic = Stats.of(with);
            assertEquals(s.files(), afterStatic.files(), afterStatic.toString());
            System.out.println("DefaultServlet, 1 MiB: " + s + " -> " + afterStatic);

            HttpBodies.Body b = HttpBodies.get(off.port(), "/file/" + MIB + "?mode=fixed");
            assertEquals(BodyPattern.sha256Hex(MIB), b.sha256());
            Stats o = Stats.of(off);
            assertEquals(0, o.files(), o.toString());
            assertTrue(o.fallbacks().contains("sink-unsupported:org.eclipse.jetty.ee10.servlet.HttpOutput"), o.toString());
        }
    }

    /** HTTPS: Jetty's SslEndPoint encrypts in user space, so its bodies stay with Jetty, correct and counted. */
    @Test
    void tlsBodiesKeepJettysCodeAndSayWhy(@TempDir Path dir) throws Exception {
        Path ks = dir.resolve("ks.p12");
        Process keytool = new ProcessBuilder(Jdks.current().resolve("bin/keytool").toString(), "-genkeypair",
                "-alias", "l7", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool");
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess with = JettyIT.start(Jdks.current(), "", origin.port(), -1, ks)) {
            Stats before = Stats.of(with);
            String base = "https://127.0.0.1:" + before.tlsPort();
            for (String mode : List.of("fixed", "chunked")) {
                assertEquals(BodyPattern.sha256Hex(MIB), TrustAll.sha256Of(base + "/file/" + MIB + "?mode=" + mode), mode);
            }
            // Declared shorter than sink.min-bytes: left before either end is resolved, so no reason is counted.
            assertEquals(BodyPattern.sha256Hex(65_536), TrustAll.sha256Of(base + "/proxy/65536?mode=fixed"));
            Stats after = Stats.of(with);
            assertEquals(before.files(), after.files(), "an encrypted body is Jetty's to write");
            assertTrue(after.fallbacks().contains("jetty-tls=2"), after.toString());
        }
    }

    /** A request with Accept-Encoding: gzip, its body decompressed and hashed (the test JVM has no agent). */
    private static String gunzipSha(int port, String path) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URI("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setRequestProperty("Accept-Encoding", "gzip");
        assertEquals(200, c.getResponseCode());
        assertEquals("gzip", c.getHeaderField("Content-Encoding"));
        try (InputStream in = new GZIPInputStream(c.getInputStream())) {
            return RawHttp.sha256Of(in);
        }
    }
}
