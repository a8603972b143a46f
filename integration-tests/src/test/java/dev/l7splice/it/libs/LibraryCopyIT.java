package dev.l7splice.it.libs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.SharedOrigin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Commons IO, Guava and Spring copy helpers (and the l7splice-api jar) in an unchanged gateway:
 * byte-exact bodies (SHA-256) with and without the agent's advice, the kernel path proven by the
 * agent's counters, the toggles, non-socket ends left alone, and a JVM without the libraries.
 * One transfer at a time, so the counter deltas belong to that transfer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class LibraryCopyIT {

    private static final long MIB = 1 << 20;
    private static final long BIG = 64 * MIB;
    private static final List<Long> SIZES = List.of(0L, 1L, 100_003L, BIG);
    /** What the agent may copy of a big body rather than splice: the buffered head read, a pipe's worth. */
    private static final long SLACK = 64 * 1024;
    private static final List<String> LIBRARY_HELPERS = List.of("commons-copy", "commons-copy-buffer",
            "commons-copylarge", "commons-copylarge-array", "commons-range", "commons-range-array",
            "guava-copy", "spring-copy", "spring-range");

    @RegisterExtension
    static final SharedOrigin ORIGIN = new SharedOrigin();

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void everyHelperIsByteExactAndSpliced(Path jdk) throws Exception {
        try (JavaProcess gw = GatewayRun.start(jdk, true, List.of(JavaProcess.agent("splice.min-bytes=0")), ORIGIN.port())) {
            GatewayRun.awaitAgentCounters(gw);
            for (String helper : all()) {
                for (long n : SIZES) {
                    GatewayRun.Stats before = GatewayRun.Stats.of(gw.port());
                    long moved = expectBody(gw, helper, n);
                    GatewayRun.Stats after = GatewayRun.Stats.of(gw.port());
                    String why = helper + " n=" + n + " on " + jdk + ": " + before + " -> " + after + "\n" + gw.stderrTail();
                    long byAgent = (after.spliced() - before.spliced()) + (after.copied() - before.copied());
                    // Bounded helpers too: the agent's bounded transfer takes socket ends now.
                    if (helper.equals("transferTo")) {
                        // JDK 21+: BufferedInputStream.transferTo writes its buffer itself, then
                        // calls the socket stream's transferTo, where the agent starts counting.
                        assertTrue(byAgent <= moved && byAgent >= moved - 8192, why);
                    } else {
                        assertEquals(moved, byAgent, "every byte went through the agent: " + why);
                    }
                    if (n == BIG && !after.noPipe()) {
                        assertTrue(after.spliced() - before.spliced() >= moved - SLACK, "spliced: " + why);
                    }
                }
            }
            assertFalse(gw.stderrTail().contains("Exception"), gw.stderrTail());
        }
    }

    @Test
    void togglesOffRunTheLibrariesOwnCode() throws Exception {
        String off = "splice.min-bytes=0,instrumentation.commons-io.enabled=false,"
                + "instrumentation.guava.enabled=false,instrumentation.spring.enabled=false,instrumentation.api.enabled=false";
        try (JavaProcess gw = GatewayRun.start(Jdks.current(), true, List.of(JavaProcess.agent(off)), ORIGIN.port())) {
            GatewayRun.awaitAgentCounters(gw); // transfer-to is still on: the agent is there
            for (String helper : all()) {
                for (long n : List.of(1L, 100_003L, 8 * MIB)) {
                    GatewayRun.Stats before = GatewayRun.Stats.of(gw.port());
                    expectBody(gw, helper, n);
                    GatewayRun.Stats after = GatewayRun.Stats.of(gw.port());
                    // transferTo stays on; Spring 6's StreamUtils.copy calls transferTo itself.
                    if (!helper.equals("transferTo") && !helper.equals("spring-copy") && !helper.equals("api-splice")) {
                        assertEquals(before, after, helper + " n=" + n + ": the library's own loop ran");
                    }
                }
            }
        }
    }

    /** Above 2 GiB, Commons IO's copy says -1 and Spring's copy the count cast to int, spliced or not. */
    @Test
    void intResultsKeepTheLibrariesContract() throws Exception {
        long n = (2L << 30) + 3;
        try (JavaProcess gw = GatewayRun.start(Jdks.current(), true, List.of(JavaProcess.agent("splice.min-bytes=0")), ORIGIN.port())) {
            GatewayRun.awaitAgentCounters(gw);
            for (String helper : List.of("commons-copy", "spring-copy")) {
                GatewayRun.Stats before = GatewayRun.Stats.of(gw.port());
                expectBody(gw, helper, n); // the gateway resets the connection if the result differs
                GatewayRun.Stats after = GatewayRun.Stats.of(gw.port());
                assertEquals(n, (after.spliced() - before.spliced()) + (after.copied() - before.copied()), helper);
            }
        }
    }

    @Test
    void nonSocketDestinationsAreUntouched() throws Exception {
        try (JavaProcess gw = GatewayRun.start(Jdks.current(), true, List.of(JavaProcess.agent("splice.min-bytes=0")), ORIGIN.port())) {
            GatewayRun.awaitAgentCounters(gw);
            for (String helper : all()) {
                GatewayRun.Stats before = GatewayRun.Stats.of(gw.port());
                RawHttp.Response r = RawHttp.get(gw.port(), "/mem/" + helper + "/" + 3_000_001);
                assertEquals(BodyPattern.sha256Hex(3_000_001), r.sha256, helper);
                GatewayRun.Stats after = GatewayRun.Stats.of(gw.port());
                assertEquals(before.spliced(), after.spliced(), helper);
                assertEquals(before.copied(), after.copied(), helper);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutTheLibrariesTheAgentStartsAndNothingBreaks(Path jdk) throws Exception {
        try (JavaProcess gw = GatewayRun.start(jdk, false,
                List.of(JavaProcess.agent("splice.min-bytes=0,log.level=info")), ORIGIN.port())) {
            for (String helper : CopyHelpers.JDK_AND_API) {
                for (long n : List.of(0L, 100_003L, 8 * MIB)) {
                    expectBody(gw, helper, n);
                }
            }
            gw.close();
            String err = gw.output();
            assertTrue(err.contains("installed from"), err);
            assertFalse(err.contains("NoClassDefFoundError") || err.contains("Exception")
                    || err.contains("l7splice warn") || err.contains("l7splice error"), err);
            assertTrue(err.contains("offloading copies in dev.l7splice.api.L7Splice"), err);
        }
    }

    private static List<String> all() {
        List<String> out = new ArrayList<>(CopyHelpers.JDK_AND_API);
        out.addAll(LIBRARY_HELPERS);
        return out;
    }

    /**
     * Fetches a body of {@code n} bytes copied with {@code helper}; bounded helpers copy all but the
     * last 1,000 bytes (or all of a short body). Checks length and SHA-256; returns the length.
     */
    static long expectBody(JavaProcess gw, String helper, long n) throws Exception {
        long want = CopyHelpers.bounded(helper) && n > 1000 ? n - 1000 : n;
        String path = "/copy/" + helper + "/" + n + (CopyHelpers.bounded(helper) ? "/" + want : "");
        RawHttp.Response r = RawHttp.get(gw.port(), path);
        assertEquals(200, r.status, path);
        assertEquals(want, r.bodyBytes, () -> path + "\n" + gw.stderrTail());
        assertEquals(BodyPattern.sha256Hex(want), r.sha256, path);
        return want;
    }
}
