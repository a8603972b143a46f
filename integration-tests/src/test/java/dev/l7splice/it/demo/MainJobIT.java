package dev.l7splice.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.Jdks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job (what {@code bin/demo} runs), with small bodies: every mode's checksums match, the
 * agent moves the bodies in the kernel (the legacy gateway's and the Spring Boot MVC proxy
 * controller's, run from demo-spring's own jar and lib/), and the balancing part spreads the
 * gateway's requests over three origins and loses none when one is stopped. The demo checks every body's SHA-256 itself
 * and exits 1 when one does not match.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MainJobIT {

    @TempDir
    Path dir;

    @Test
    void theDemoRunsEveryModeAndTheBalancerWithEveryChecksumMatching() throws Exception {
        Path out = dir.resolve("demo.out");
        Process demo = new ProcessBuilder(Jdks.java(Jdks.current()), "-jar", Artifacts.demoJar().toString(),
                "--agent", Artifacts.agentJar().toString(), "--relay", Artifacts.relayJar().toString(), "--size", "8m")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean ended = demo.waitFor(200, TimeUnit.SECONDS);
        if (!ended) {
            demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String text = Files.readString(out);
        assertTrue(ended, "the demo did not end:\n" + text);
        assertEquals(0, demo.exitValue(), text);
        List<String> rows = text.lines().filter(l -> l.matches("^(without agent|agent |Spring MVC|file server).*\\|.*")).toList();
        assertEquals(8, rows.size(), text);
        rows.forEach(r -> assertTrue(r.trim().endsWith("| ok"), "checksums of: " + r));
        assertTrue(text.contains("agent inline") && text.matches("(?s).*agent inline\\s+\\|[^\\n]*\\(\\s*(99|100)\\.\\d%\\).*"),
                "the inline agent spliced the bodies:\n" + text);
        // The Spring Boot MVC proxy controller: both rows measured (not skipped), and with the agent its
        // bodies spliced from the origin's HttpURLConnection stream into Tomcat's (all but splice.min-bytes).
        assertTrue(!text.contains("Spring MVC rows skipped"), text);
        assertTrue(rows.stream().anyMatch(r -> r.matches("^Spring MVC, no agent\\s+\\|.*\\|\\s+-\\s+\\| ok$")), text);
        assertTrue(rows.stream().anyMatch(r -> r.matches("^Spring MVC \\+ agent\\s+\\|.*\\|\\s+\\d+ \\((99|100)\\.\\d%\\) \\| ok$")),
                "the agent spliced the Spring controller's bodies:\n" + text);
        List<String> rounds = text.lines().filter(l -> l.contains("30 x 1 MiB")).toList();
        assertEquals(2, rounds.size(), text);
        assertTrue(rounds.get(0).matches(".*o1 \\d+\\s+o2 \\d+\\s+o3 \\d+\\s+checksums ok, 0 failed.*"), rounds.get(0));
        String afterStop = rounds.get(1).substring(rounds.get(1).indexOf("MiB:"));
        assertTrue(!afterStop.contains("o2") && afterStop.matches(".*o1 \\d+\\s+o3 \\d+\\s+checksums ok, 0 failed.*"),
                "o2 gets nothing once stopped: " + rounds.get(1));
    }
}
