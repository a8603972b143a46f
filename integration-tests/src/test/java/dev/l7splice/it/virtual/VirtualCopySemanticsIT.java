package dev.l7splice.it.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.Threading;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On a virtual thread an inline transfer ends the way the JDK's own loop would: at end of stream
 * with the count, at SO_TIMEOUT, at a close from another thread, at an interrupt (the JDK closes
 * the socket and throws "Closed by interrupt") and at a reset; the same bytes reach the far end.
 * {@link VirtualCopyCases} runs on Java 25 without and with the agent and the outputs must match; with the
 * agent twice: parking on the JDK's poller, and with virtual-threads.poller=off (the in-process relay moves
 * the body while the thread parks; SO_TIMEOUT is left to the JDK's copy).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class VirtualCopySemanticsIT {

    @Test
    void everyWayACopyEndsMatchesTheJdkOnAVirtualThread() throws Exception {
        assumeTrue(Threading.present().contains(Threading.VIRTUAL), "needs Java 25 at " + Jdks.JAVA_25);
        List<String> without = run(List.of());
        assertTrue(cases(without).size() == 5, String.join("\n", without));
        // The JDK's poller, then none (virtual-threads.poller=off: the in-process relay moves each body while the thread parks).
        for (String args : List.of("splice.min-bytes=0", "splice.min-bytes=0,virtual-threads.poller=off")) {
            List<String> with = run(List.of(JavaProcess.agent(args)));
            assertEquals(cases(without), cases(with), args + ", with the agent:\n" + String.join("\n", with));
            String stats = with.stream().filter(l -> l.startsWith("STATS ")).findFirst().orElseThrow();
            assertTrue(!stats.contains("spliced=0 ") && !stats.contains("virtual-thread"), "spliced on virtual threads: " + stats);
            boolean relayed = args.contains("poller=off");
            assertEquals(relayed ? 4 : 0, relayedCount(stats), "relayed while parked (all but the SO_TIMEOUT case): " + stats);
            assertEquals(relayed, stats.contains("relay-so-timeout=1"), "SO_TIMEOUT copied the JDK's way: " + stats);
        }
    }

    private static long relayedCount(String stats) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("relayed=(\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static List<String> cases(List<String> out) {
        return out.stream().filter(l -> l.startsWith("CASE ")).toList();
    }

    private static List<String> run(List<String> jvmOptions) throws Exception {
        String cp = String.join(File.pathSeparator, Path.of("target/test-classes").toAbsolutePath().toString(),
                Artifacts.demoJar().toString());
        List<String> cmd = new ArrayList<>(List.of(Jdks.java(Jdks.JAVA_25)));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", cp, VirtualCopyCases.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "cases finished");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text.lines().toList();
    }
}
