package dev.l7splice.it.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.tomcat.HttpBodies;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Helidon's own WebClient as the source of a Helidon response body: a declared-length upstream body
 * is spliced (fixed and chunked responses), byte-exact, and the client's pooled connection serves the
 * next request as without the agent (the upstream counts its connections).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HelidonWebClientIT {

    private static final long MIB = 1L << 20;
    private static JavaProcess upstream;

    @BeforeAll
    static void upstream() throws Exception {
        HelidonRun.assumeJava25();
        upstream = HelidonIT.keepAliveUpstream();
    }

    @AfterAll
    static void stopUpstream() throws InterruptedException {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void webClientBodiesMoveInTheKernelAndItsPooledConnectionIsReused() throws Exception {
        try (JavaProcess with = HelidonRun.start("", -1, upstream.port())) {
            HttpBodies.get(with.port(), "/webclient/fixed/5?mode=fixed"); // the client's first connection, the agent's MBean
            long opened = connections();
            HelidonStats before = HelidonStats.of(with);
            for (int i = 0; i < 6; i++) {
                String path = "/webclient/fixed/" + (MIB + i) + "?mode=" + (i % 2 == 0 ? "fixed" : "chunked");
                HttpBodies.Body b = HttpBodies.get(with.port(), path);
                assertEquals(BodyPattern.sha256Hex(MIB + i), b.sha256(), path + "\n" + with.stderrTail());
            }
            assertEquals(opened + 1, connections(), "only the count's own connection is new: the client reused its pooled one");
            HelidonStats after = HelidonStats.await(with, a -> a.spliced() - before.spliced() >= 6 * (MIB - (64 << 10)));
            assertTrue(after.spliced() - before.spliced() >= 6 * (MIB - (64 << 10)), before + " -> " + after);
        }
    }

    /** How many connections the keep-alive upstream accepted so far (this request's own included). */
    private static long connections() throws IOException {
        return Long.parseLong(HelidonStats.text(upstream, "/connections").trim());
    }
}
