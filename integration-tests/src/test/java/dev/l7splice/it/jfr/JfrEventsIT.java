package dev.l7splice.it.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.FailOpenProbe;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.SharedOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's JFR events in a recording of the demo gateway (settings: the l7splice.jfc shipped in
 * the agent jar): one dev.l7splice.Transfer per body, with its bytes; in a hand-off mode the
 * event says handed-off.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JfrEventsIT {

    @RegisterExtension
    static final SharedOrigin ORIGIN = new SharedOrigin();

    private static final long N = 3_000_001;

    @TempDir
    Path dir;

    /** The .jfc from the agent jar, as a user extracts it. */
    private Path settings() throws Exception {
        Path jfc = dir.resolve("l7splice.jfc");
        try (ZipFile jar = new ZipFile(Artifacts.agentJar().toFile())) {
            Files.write(jfc, jar.getInputStream(jar.getEntry("l7splice.jfc")).readAllBytes());
        }
        return jfc;
    }

    /** The dev.l7splice events of a gateway run with {@code offload}, after three downloads of N bytes. */
    private List<RecordedEvent> recordGateway(String offload) throws Exception {
        Path recording = dir.resolve(offload + ".jfr");
        try (JavaProcess gw = JavaProcess.gateway(Jdks.current(), List.of(JavaProcess.agent("offload=" + offload),
                "-XX:StartFlightRecording:settings=default,settings=" + settings() + ",filename=" + recording),
                ORIGIN.port())) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Response down = RawHttp.get(gw.port(), "/bytes/" + N);
                assertEquals(BodyPattern.sha256Hex(N), down.sha256);
            }
        } // SIGTERM: the recording is written at exit
        assertTrue(Files.size(recording) > 0, "recording written");
        return RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getCategoryNames().contains("dev.l7splice")).toList();
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    @Test
    void inlineEachBodyIsOneTransferEventWithItsBytes() throws Exception {
        List<RecordedEvent> transfers = named(recordGateway("inline"), "dev.l7splice.Transfer");
        assertEquals(3, transfers.size(), transfers.toString());
        for (RecordedEvent e : transfers) {
            assertEquals(N, e.getLong("kernelBytes") + e.getLong("copiedBytes"), e.toString());
            assertTrue(e.getLong("kernelBytes") > N / 2, "most of the body moved in the kernel: " + e);
            assertEquals("inline", e.getString("mode"));
            assertEquals("done", e.getString("outcome"));
            assertEquals("socket", e.getString("sink"));
            assertTrue(List.of("socket", "buffered").contains(e.getString("source")), e.toString());
            assertTrue(!e.getBoolean("bounded"));
            assertTrue(e.getDuration().toNanos() > 0, e.toString());
        }
    }

    @Test
    void eachFallbackReasonIsAnEventAndTheSplicedPairATransfer() throws Exception {
        Path recording = dir.resolve("probe.jfr");
        Process probe = new ProcessBuilder(FailOpenProbe.command(dir, List.of(
                "-XX:StartFlightRecording:settings=" + settings() + ",filename=" + recording)))
                .redirectErrorStream(true).redirectOutput(dir.resolve("probe.txt").toFile()).start();
        assertTrue(probe.waitFor(90, TimeUnit.SECONDS), "probe finished");
        String text = Files.readString(dir.resolve("probe.txt"));
        assertTrue(text.contains("STATS spliced=3000001 "), text);
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        List<RecordedEvent> transfers = named(events, "dev.l7splice.Transfer");
        assertEquals(1, transfers.size(), "only the plain pair: " + transfers);
        assertEquals(N, transfers.get(0).getLong("kernelBytes"), transfers.toString());
        assertEquals(0, transfers.get(0).getLong("copiedBytes"), transfers.toString());
        // every reason the agent counted (its MBean, printed by the probe: "fallbacks=ssl=2 ...") has an
        // event, and none counts more than happened (a second one within a second waits for the next)
        java.util.Map<String, Long> byMBean = new java.util.TreeMap<>();
        String line = text.lines().filter(l -> l.startsWith("STATS ")).findFirst().orElseThrow();
        for (String kv : line.substring(line.indexOf("fallbacks=") + "fallbacks=".length()).trim().split(" ")) {
            int eq = kv.lastIndexOf('=');
            byMBean.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
        }
        assertTrue(byMBean.size() >= 3 && byMBean.containsKey("ssl"), line);
        java.util.Map<String, Long> counted = new java.util.TreeMap<>();
        for (RecordedEvent e : named(events, "dev.l7splice.Fallback")) {
            counted.merge(e.getString("reason"), e.getLong("count"), Long::sum);
        }
        assertEquals(byMBean.keySet(), counted.keySet(), counted + " against " + line);
        counted.forEach((reason, n) -> assertTrue(n >= 1 && n <= byMBean.get(reason), reason + ": " + n + " of " + line));
    }

    @Test
    void aHandOffIsRecordedAsHandedOff() throws Exception {
        List<RecordedEvent> transfers = named(recordGateway("inprocess"), "dev.l7splice.Transfer");
        assertEquals(3, transfers.size(), transfers.toString());
        for (RecordedEvent e : transfers) {
            assertEquals("inprocess", e.getString("mode"), e.toString());
            assertEquals("handed-off", e.getString("outcome"), e.toString());
            assertEquals(0, e.getLong("kernelBytes"), "the relay moves the body after the call: " + e);
        }
    }
}
