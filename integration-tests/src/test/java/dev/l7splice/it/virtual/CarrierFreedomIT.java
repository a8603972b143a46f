package dev.l7splice.it.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.AgentCounters;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.Modes;
import dev.l7splice.it.support.ProcStats;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.SharedOrigin;
import dev.l7splice.it.support.Threading;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A virtual thread waiting inside an offloaded transfer must leave its carrier free. The gateway
 * runs on virtual threads with two carriers and no spare ones; six downloads whose clients never
 * read hold six transfers waiting for a writable socket. If any of those waits blocked a carrier
 * in the kernel (a poll(2) from a virtual thread), both carriers would be taken and the fresh
 * downloads below could never run: the test would end at its timeout.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CarrierFreedomIT {

    private static final int STALLED = 6;
    private static final long MIB = 1 << 20;

    @RegisterExtension
    static final SharedOrigin ORIGIN = new SharedOrigin();

    @ParameterizedTest(name = "offload={0}")
    @ValueSource(strings = {"inline", "inprocess", "sidecar"})
    void stalledTransfersLeaveTheCarriersToOthers(String mode) throws Exception {
        assumeTrue(Threading.present().contains(Threading.VIRTUAL), "needs Java 25 at " + Jdks.JAVA_25);
        List<String> options = new ArrayList<>(Modes.jvmOptions(mode, "splice.min-bytes=0"));
        options.add("-Djdk.virtualThreadScheduler.parallelism=2");
        options.add("-Djdk.virtualThreadScheduler.maxPoolSize=2");
        try (JavaProcess gw = JavaProcess.gateway(Threading.VIRTUAL, options, ORIGIN.port())) {
            RawHttp.Response warm = RawHttp.get(gw.port(), "/bytes/" + MIB);
            assertEquals(BodyPattern.sha256Hex(MIB), warm.sha256);
            AgentCounters.of(gw.pid()); // attach once before the baseline (the JMX connector keeps fds)
            long fds = ProcStats.openFds(gw.pid());
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < STALLED; i++) {
                    Socket s = RawHttp.connect(gw.port());
                    s.setReceiveBufferSize(16 * 1024);
                    s.getOutputStream().write(RawHttp.requestHead("GET", "/bytes/" + (4L << 30) + "?sha=0", -1));
                    stalled.add(s); // never read: its transfer waits for a writable socket
                }
                Thread.sleep(1000); // let every stalled transfer reach its wait
                for (int i = 0; i < 10; i++) {
                    long n = (i + 1) * MIB;
                    try (Socket s = RawHttp.connect(gw.port())) {
                        s.setSoTimeout(60_000);
                        s.getOutputStream().write(RawHttp.requestHead("GET", "/bytes/" + n, -1));
                        InputStream in = s.getInputStream();
                        assertEquals(200, RawHttp.readHead(in).status);
                        assertEquals(BodyPattern.sha256Hex(n), RawHttp.sha256Of(in), "body " + n + " beside stalled ones");
                    }
                }
                AgentCounters c = AgentCounters.of(gw.pid());
                assertTrue(c.offloaded >= STALLED + 11, "every body offloaded, none fell back: " + c);
                assertEquals(0, c.fallbacks, c.toString());
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
            long after = ProcStats.settle(() -> ProcStats.openFdsUnchecked(gw.pid()), fds + 2, 30_000);
            assertTrue(after <= fds + 2, "gateway fds " + fds + " -> " + after);
        }
    }
}
