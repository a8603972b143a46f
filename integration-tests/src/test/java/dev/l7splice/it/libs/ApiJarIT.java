package dev.l7splice.it.libs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.AgentCounters;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.SharedOrigin;
import dev.l7splice.it.support.Threading;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
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

    /**
     * Java 25, the gateway's connections on virtual threads and virtual-threads.poller=off: to end of
     * stream and bounded, the in-process relay moves each body while the thread parks, and the
     * gateway checks each helper's result and that exactly the rest was left in the origin's stream.
     */
    @Test
    void onVirtualThreadsWithoutThePollerTheRelayKeepsCountsAndBounds() throws Exception {
        assumeTrue(Threading.present().contains(Threading.VIRTUAL), "needs Java 25 at " + Jdks.JAVA_25);
        List<String> opts = List.of(JavaProcess.agent("splice.min-bytes=0,virtual-threads.poller=off"),
                "-Dit.virtual-threads=true");
        try (JavaProcess gw = GatewayRun.start(Jdks.JAVA_25, false, opts, ORIGIN.port())) {
            GatewayRun.awaitAgentCounters(gw);
            int copies = 0; // those that must have been relayed
            for (long n : List.of(0L, 1L, 100_003L, BIG)) {
                for (String helper : CopyHelpers.JDK_AND_API) {
                    LibraryCopyIT.expectBody(gw, helper, n);
                    copies += n > 1000 ? 1 : 0; // a bounded copy of a body the gateway already buffered needs no kernel part
                }
            }
            AgentCounters c = AgentCounters.of(gw.pid());
            assertTrue(c.virtualRelayed >= copies && !c.fallbacksByReason.contains("virtual-thread"), c.toString());
            assertTrue(c.bytesSpliced >= 3 * (BIG - 1000) - 3 * (64 << 10), c.toString());
        }
    }
}
