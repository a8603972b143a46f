package dev.l7splice.it.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.RawHttp;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Helidon 4.5 over HTTP/2 (cleartext, the JDK client's h2c upgrade; helidon-webserver-http2 on the
 * app's class path): its stream is another class, so its bodies stay with Helidon, byte-exact, and
 * the class is named in sink-unsupported.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HelidonHttp2IT {

    private static final long MIB = 1L << 20;
    private static final String STREAM = "sink-unsupported:io.helidon.webserver.http2.Http2ServerResponse$BlockingOutputStream";

    @BeforeAll
    static void java25() {
        HelidonRun.assumeJava25();
    }

    @Test
    void http2BodiesKeepHelidonsCodeAndNameTheStream() throws Exception {
        try (JavaProcess with = HelidonRun.start("", -1, -1)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            for (String mode : List.of("fixed", "chunked", "fixed")) {
                URI uri = URI.create("http://127.0.0.1:" + with.port() + "/file/" + MIB + "?mode=" + mode);
                HttpRequest req = HttpRequest.newBuilder(uri).build();
                HttpResponse<InputStream> r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, r.statusCode(), with.stderrTail());
                assertEquals(HttpClient.Version.HTTP_2, r.version(), mode);
                try (InputStream in = r.body()) {
                    assertEquals(BodyPattern.sha256Hex(MIB), RawHttp.sha256Of(in), mode + "\n" + with.stderrTail());
                }
            }
            HelidonStats s = HelidonStats.await(with, a -> a.count(STREAM) >= 3);
            assertTrue(s.count(STREAM) >= 3, s.toString());
            assertEquals(0, s.files() + s.spliced(), s.toString());
        }
    }
}
