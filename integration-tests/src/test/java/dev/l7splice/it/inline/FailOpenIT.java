package dev.l7splice.it.inline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.demo.JmxStats;
import dev.l7splice.it.support.FailOpenProbe;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Wherever the agent cannot prove the kernel path safe, the JDK's code runs and the bytes are equal. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailOpenIT {

    private static final long MIB = 1 << 20;

    @Test
    void killSwitchLeavesTheJdkPathAndRegistersNothing() throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess gw = JavaProcess.gateway(Jdks.current(),
                     List.of(JavaProcess.agent("enabled=false,log.level=info")), origin.port())) {
            roundTrip(gw);
            Thread.sleep(1000); // the MBean would be registered shortly after the first transfer
            assertTrue(JmxStats.read(gw.pid()).isEmpty(), "no agent MBean when disabled");
            assertTrue(gw.output().contains("disabled by configuration"), gw.stderrTail());
        }
    }

    @Test
    void badConfigurationSaysSoOnceAndTheApplicationRuns() throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess gw = JavaProcess.gateway(Jdks.current(),
                     List.of(JavaProcess.agent("splice.min-bytes=lots"), "-Dl7.log.level=debug"), origin.port())) {
            roundTrip(gw);
            String err = gw.output();
            assertTrue(err.contains("l7splice: bad configuration, agent off: splice.min-bytes=lots"), err);
            assertEquals(1, err.lines().filter(l -> l.contains("l7splice")).count(), err);
        }
    }

    @Test
    void tlsAndWrappedStreamsRunTheJdkPath(@TempDir Path dir) throws Exception {
        List<String> cmd = FailOpenProbe.command(dir, List.of());
        Path out = dir.resolve("probe.txt");
        Process probe = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(probe.waitFor(90, TimeUnit.SECONDS), "probe finished");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        for (String name : List.of("plain", "tls-source", "tls-destination", "wrapped-source",
                "wrapped-destination", "not-a-socket")) {
            assertTrue(text.contains("RESULT " + name + " ok"), name + ":\n" + text);
        }
        assertFalse(text.contains("FAIL"), text);
        // Only the plain pair was spliced; every other pair fell back, each for its own reason.
        assertTrue(text.contains("STATS spliced=3000001 "), text);
        for (String reason : List.of("ssl=2", "source-unsupported:java.io.DataInputStream=1",
                "source-unsupported:dev.l7splice.demo.BodyPattern$PatternInputStream=1",
                "sink-unsupported:java.io.DataOutputStream=1")) {
            assertTrue(text.contains(reason), reason + ":\n" + text);
        }
    }

    private static void roundTrip(JavaProcess gw) throws Exception {
        RawHttp.Response down = RawHttp.get(gw.port(), "/bytes/" + MIB);
        assertEquals(BodyPattern.sha256Hex(MIB), down.sha256);
        RawHttp.Response up = RawHttp.post(gw.port(), "/sink", MIB, 100);
        assertEquals(BodyPattern.sha256Hex(MIB), up.header("X-Body-SHA256"));
    }
}
