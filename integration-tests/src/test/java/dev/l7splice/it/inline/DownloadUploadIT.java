package dev.l7splice.it.inline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.AgentCounters;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.Modes;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.SharedOrigin;
import dev.l7splice.it.support.Threading;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies through the unmodified demo gateway (which carries its own Netty on its class path) with
 * {@code -javaagent:l7agent.jar}, on every JDK present, inline and handed off to the in-process
 * and the sidecar relay, on platform threads and (Java 25) virtual threads, the latter also with
 * virtual-threads.poller=off (inline: each body relayed while its thread parks; the hand-off modes hand off as
 * usual, the sidecar's frame writes waiting without the poller): byte-exact both ways, and the agent's
 * counters show the bodies were spliced, not copied, beyond what the gateway had buffered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DownloadUploadIT {

    private static final long MIB = 1 << 20;
    /** The gateway's BufferedInputStream holds at most this much of a body when transferTo starts. */
    private static final long BUFFER = 8192;

    @RegisterExtension
    static final SharedOrigin ORIGIN = new SharedOrigin();

    /** Every JDK present on platform threads, and Java 25 on virtual threads, each with every offload mode. */
    static List<Arguments> jdksAndModes() {
        List<Arguments> out = new ArrayList<>();
        for (Path jdk : Jdks.all()) {
            for (String mode : List.of("inline", "inprocess", "sidecar")) {
                out.add(Arguments.of(jdk, mode, Threading.PLATFORM));
            }
        }
        if (Threading.present().contains(Threading.VIRTUAL)) {
            for (String mode : List.of("inline", "inprocess", "sidecar", "inline" + Modes.POLLER_OFF,
                    "inprocess" + Modes.POLLER_OFF, "sidecar" + Modes.POLLER_OFF)) {
                out.add(Arguments.of(Threading.VIRTUAL.jdk(), mode, Threading.VIRTUAL));
            }
        }
        return out;
    }

    static List<Long> sizes() {
        List<Long> sizes = new ArrayList<>(List.of(0L, 1L, 8191L, 8192L, 8193L, MIB, 256 * MIB));
        long seed = System.nanoTime();
        System.out.println("DownloadUploadIT random sizes seed=" + seed);
        Random r = new Random(seed);
        for (int i = 0; i < 6; i++) {
            sizes.add((long) r.nextInt(4 * (int) MIB));
        }
        return sizes;
    }

    @ParameterizedTest(name = "{0} offload={1} {2}")
    @MethodSource("jdksAndModes")
    void bodiesAreByteExactAndSpliced(Path jdk, String mode, Threading threading) throws Exception {
        List<Long> sizes = sizes();
        List<String> options = Modes.jvmOptions(mode, "splice.min-bytes=0");
        try (JavaProcess gw = threading == Threading.VIRTUAL ? JavaProcess.gateway(threading, options, ORIGIN.port())
                : JavaProcess.gateway(jdk, options, ORIGIN.port())) {
            long total = 0;
            int transfers = 0;
            for (long n : sizes) {
                RawHttp.Response down = RawHttp.get(gw.port(), "/bytes/" + n);
                assertEquals(200, down.status, () -> "download " + n + ": " + down);
                assertEquals(n, down.bodyBytes, "download length " + n);
                assertEquals(BodyPattern.sha256Hex(n), down.sha256, "download sha " + n);
                assertEquals(down.header("X-Body-SHA256"), down.sha256, "origin's own checksum " + n);

                RawHttp.Response up = RawHttp.post(gw.port(), "/sink", n, 0);
                assertEquals(200, up.status, () -> "upload " + n + ": " + up);
                assertEquals(Long.toString(n), up.header("X-Body-Bytes"), "upload length " + n);
                assertEquals(BodyPattern.sha256Hex(n), up.header("X-Body-SHA256"), "upload sha " + n);
                total += 2 * n;
                transfers += 2;
            }
            AgentCounters c = AgentCounters.of(gw.pid());
            String why = c + " on " + jdk + " offload=" + mode + " " + threading + "\n" + gw.stderrTail();
            long kernel = mode.startsWith("sidecar") ? c.bytesBySidecar : c.bytesSpliced;
            assertTrue(kernel >= total - transfers * BUFFER, "spliced: " + why);
            assertTrue(c.bytesCopied <= transfers * BUFFER, "copied: " + why);
            assertTrue(c.offloaded >= transfers, "offloaded: " + why);
            assertFalse(c.fallbacksByReason.contains("virtual-thread"), "no virtual-thread fallback: " + why);
            if (mode.equals("inline" + Modes.POLLER_OFF)) {
                // No poller to park on: every body went to the in-process relay while its thread parked.
                assertTrue(c.virtualRelayed >= transfers, "relayed for virtual threads: " + why);
            } else {
                // Spliced by the thread itself (the poller) or handed off: never relayed while parked.
                assertEquals(0, c.virtualRelayed, "not relayed while parked: " + why);
            }
            // Java 24+: native access is granted to the agent's own native module, so the JDK's
            // restricted-method warning never reaches the application's stderr.
            assertFalse(gw.output().contains("restricted method"), "no native-access warning: " + why);
        }
    }
}
