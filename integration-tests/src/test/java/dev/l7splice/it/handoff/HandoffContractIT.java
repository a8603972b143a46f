package dev.l7splice.it.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.AgentCounters;
import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.HandoffProbe;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** offload=inprocess: the application lets go after the head, and nothing it does next can hurt the body. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HandoffContractIT {

    @Test
    void whatTheApplicationDoesAfterHandOffHappensAfterTheBody(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("probe.txt");
        Process probe = new ProcessBuilder(Jdks.java(Jdks.current()),
                JavaProcess.agent("offload=inprocess,splice.min-bytes=0"),
                "-cp", Path.of("target/test-classes").toAbsolutePath() + ":" + Artifacts.demoJar(),
                HandoffProbe.class.getName())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(probe.waitFor(150, TimeUnit.SECONDS), "probe finished");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        for (String name : List.of("write-after-handoff", "close-right-after-handoff",
                "shutdown-output-after-handoff", "read-source-after-handoff")) {
            assertTrue(text.contains("RESULT " + name + " ok"), name + ":\n" + text);
        }
        assertFalse(text.contains("FAIL"), text);
    }

    /**
     * Two handler threads, six clients that do not read their 64 MiB bodies yet: without the agent
     * both threads would sit in blocked writes. With the hand-off they are free, so a seventh
     * request is served while the six bodies still wait in the relay, and every body then arrives
     * whole.
     */
    @Test
    void handlerThreadsAreFreeWhileBodiesAreRelayed() throws Exception {
        long n = 64L << 20;
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess gw = JavaProcess.start(Jdks.current(), List.of("-Xmx256m", JavaProcess.agent("offload=inprocess")),
                     "dev.l7splice.demo.gateway.Gateway", "--port", "0", "--threads", "2",
                     "--backend", "127.0.0.1:" + origin.port())) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    Socket s = RawHttp.connect(gw.port());
                    s.getOutputStream().write(RawHttp.requestHead("GET", "/bytes/" + n, -1));
                    assertEquals(200, RawHttp.readHead(s.getInputStream()).status);
                    slow.add(s);
                }
                RawHttp.Response quick = RawHttp.get(gw.port(), "/bytes/1000");
                assertEquals(BodyPattern.sha256Hex(1000), quick.sha256, "served while six bodies wait");
                assertTrue(AgentCounters.of(gw.pid()).toString().contains("offloaded="));
                for (Socket s : slow) {
                    assertEquals(BodyPattern.sha256Hex(n), RawHttp.sha256Of(s.getInputStream()), "slow body");
                }
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
            AgentCounters c = AgentCounters.of(gw.pid());
            // each body: at most splice.min-bytes (128 KiB) plus the buffered prefix (8 KiB) copied
            assertTrue(c.bytesSpliced >= 6 * (n - (136 << 10)), c.toString());
        }
    }

    /**
     * An upload handed off while the gateway answers from user space (a short reply, below
     * splice.min-bytes) and closes: the client, reading to end of stream, gets its FIN at once,
     * and the relayed upload still arrives whole.
     */
    @Test
    void uploadRelayedWhileTheApplicationAnswersItself() throws Exception {
        long n = 24L << 20;
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess gw = JavaProcess.gateway(Jdks.current(), List.of(JavaProcess.agent("offload=inprocess")),
                     origin.port())) {
            for (int split : new int[] {0, 1000, 7000}) {
                RawHttp.Response up = RawHttp.post(gw.port(), "/sink", n, split);
                assertEquals(BodyPattern.sha256Hex(n), up.header("X-Body-SHA256"), "split " + split);
            }
            assertEquals(3, AgentCounters.of(gw.pid()).handedOff);
        }
    }

}
