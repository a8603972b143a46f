package dev.l7splice.it.libs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.SharedOrigin;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The l7splice-api jar: {@code L7Splice.splice} (to end of stream and bounded) and
 * {@code L7Splice.sendFile} give the same bytes with and without the agent; with it, a body to end
 * of stream is spliced.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ApiJarIT {

    private static final long BIG = 64L << 20;

    @RegisterExtension
    static final SharedOrigin ORIGIN = new SharedOrigin();

    @ParameterizedTest(name = "agent={0}")
    @ValueSource(booleans = {false, true})
    void sameBytesWithAndWithoutTheAgent(boolean agent) throws Exception {
        List<String> opts = agent ? List.of(JavaProcess.agent("splice.min-bytes=0")) : List.of();
        try (JavaProcess gw = GatewayRun.start(Jdks.current(), false, opts, ORIGIN.port())) {
            if (agent) {
                GatewayRun.awaitAgentCounters(gw);
            }
            for (long n : List.of(0L, 1L, 100_003L, BIG)) {
                for (String helper : List.of("api-splice", "api-splice-bounded")) {
                    GatewayRun.Stats before = GatewayRun.Stats.of(gw.port());
                    LibraryCopyIT.expectBody(gw, helper, n);
                    GatewayRun.Stats after = GatewayRun.Stats.of(gw.port());
                    if (agent && n == BIG && !after.noPipe()) {
                        // the bounded call moves all but the last 1000 bytes, in the kernel as well
                        assertTrue(after.spliced() - before.spliced() >= BIG - 1000 - (64 << 10),
                                helper + ": " + before + " -> " + after);
                    }
                    if (!agent) {
                        assertEquals(0, after.spliced() + after.copied());
                    }
                }
                for (String path : List.of("/file/" + n, "/file/" + n + "/all")) {
                    RawHttp.Response r = RawHttp.get(gw.port(), path);
                    assertEquals(n, r.bodyBytes, path + "\n" + gw.stderrTail());
                    assertEquals(BodyPattern.sha256Hex(n), r.sha256, path);
                }
            }
        }
    }
}
