package dev.l7splice.it.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.tomcat.TrustAll;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Helidon 4.5 over HTTPS (its TlsNioSocket): bodies stay with Helidon, byte-exact, the reason counted. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HelidonTlsIT {

    private static final long MIB = 1L << 20;

    @TempDir
    static Path dir;

    @BeforeAll
    static void java25() {
        HelidonRun.assumeJava25();
    }

    /** HTTPS: Helidon encrypts in user space (its TlsNioSocket), so its bodies stay with Helidon, correct and counted. */
    @Test
    void tlsBodiesKeepHelidonsCodeAndSayWhy() throws Exception {
        Path ks = dir.resolve("ks.p12");
        Process keytool = new ProcessBuilder(Jdks.current().resolve("bin/keytool").toString(), "-genkeypair",
                "-alias", "l7", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool");
        try (JavaProcess with = HelidonRun.start("", -1, -1, "-Dapp.keyStore=" + ks)) {
            for (String mode : List.of("fixed", "chunked")) {
                HttpsURLConnection c = (HttpsURLConnection) new URI("https://127.0.0.1:" + with.port()
                        + "/file/" + MIB + "?mode=" + mode).toURL().openConnection();
                c.setSSLSocketFactory(TrustAll.context().getSocketFactory());
                c.setHostnameVerifier((host, session) -> true);
                assertEquals(200, c.getResponseCode(), with.stderrTail());
                try (InputStream in = c.getInputStream()) {
                    assertEquals(BodyPattern.sha256Hex(MIB), RawHttp.sha256Of(in), mode);
                }
            }
            // /stats over HTTPS too: the counters once both refusals are in.
            String line = "";
            for (int i = 0; i < 50 && !line.contains("helidon-tls=2"); i++) {
                HttpsURLConnection c = (HttpsURLConnection) new URI("https://127.0.0.1:" + with.port() + "/stats").toURL()
                        .openConnection();
                c.setSSLSocketFactory(TrustAll.context().getSocketFactory());
                c.setHostnameVerifier((host, session) -> true);
                try (InputStream in = c.getInputStream()) {
                    line = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
                }
                Thread.sleep(100);
            }
            assertTrue(line.contains("helidon-tls=2") && line.startsWith("files=0 spliced=0 "), line);
        }
    }
}
