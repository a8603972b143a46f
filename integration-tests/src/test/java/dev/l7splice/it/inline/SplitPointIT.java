package dev.l7splice.it.inline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.AgentCounters;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.Modes;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.StubOrigin;
import dev.l7splice.it.support.Threading;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway's buffered reader holds a random part of the body when {@code transferTo} starts:
 * those bytes must go first, exactly once, and the spliced rest must follow them; with the gateway
 * on platform threads and, on Java 25, on virtual threads.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SplitPointIT {

    private static final int ROUNDS = 40;

    @ParameterizedTest(name = "offload={0} {1}")
    @MethodSource("modes")
    void downloadsWithRandomSplitPoints(String mode, Threading threading) throws Exception {
        Random r = seeded("downloads");
        try (StubOrigin stub = new StubOrigin();
             JavaProcess gw = JavaProcess.gateway(threading, agent(mode), stub.port())) {
            for (int i = 0; i < ROUNDS; i++) {
                long n = r.nextInt(2 << 20);
                int split = r.nextInt(7900);
                stub.next(n, split);
                RawHttp.Response resp = RawHttp.get(gw.port(), "/bytes/" + n);
                assertEquals(n, resp.bodyBytes, "length, size " + n + " split " + split);
                assertEquals(BodyPattern.sha256Hex(n), resp.sha256, "sha, size " + n + " split " + split);
            }
            AgentCounters c = AgentCounters.of(gw.pid());
            assertTrue(c.bytesCopied > 0 || !agentTakesTheBuffer(threading), "some bodies were partly buffered: " + c);
            assertTrue(c.bytesSpliced + c.bytesBySidecar > 0, "the rest was spliced: " + c);
        }
    }

    @ParameterizedTest(name = "offload={0} {1}")
    @MethodSource("modes")
    void uploadsWithRandomSplitPoints(String mode, Threading threading) throws Exception {
        Random r = seeded("uploads");
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess gw = JavaProcess.gateway(threading, agent(mode), origin.port())) {
            for (int i = 0; i < ROUNDS; i++) {
                long n = r.nextInt(2 << 20);
                int split = r.nextInt(7900);
                RawHttp.Response resp = RawHttp.post(gw.port(), "/sink", n, split);
                assertEquals(Long.toString(n), resp.header("X-Body-Bytes"), "length, size " + n + " split " + split);
                assertEquals(BodyPattern.sha256Hex(n), resp.header("X-Body-SHA256"), "sha, size " + n + " split " + split);
            }
            AgentCounters c = AgentCounters.of(gw.pid());
            assertTrue((c.bytesCopied > 0 || !agentTakesTheBuffer(threading)) && c.bytesSpliced + c.bytesBySidecar > 0,
                    c.toString());
        }
    }

    /**
     * Java 17's BufferedInputStream inherits transferTo, so the agent takes the buffered bytes (and
     * counts them copied); from Java 21 it writes them itself before calling its socket stream's
     * transferTo, which the agent takes: the split point is then the JDK's to honour, and the
     * agent copies nothing.
     */
    private static boolean agentTakesTheBuffer(Threading threading) {
        return Jdks.feature(threading.jdk()) < 21;
    }

    static List<Arguments> modes() {
        return Threading.crossedWith("inline", "inprocess", "sidecar");
    }

    private static List<String> agent(String mode) throws Exception {
        return Modes.jvmOptions(mode, "splice.min-bytes=0");
    }

    private static Random seeded(String what) {
        long seed = System.nanoTime();
        System.out.println("SplitPointIT " + what + " seed=" + seed);
        return new Random(seed);
    }
}
