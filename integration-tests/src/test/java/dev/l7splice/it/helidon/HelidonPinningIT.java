package dev.l7splice.it.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.RoundRobinReaders;
import dev.l7splice.it.support.SharedOrigin;
import dev.l7splice.it.tomcat.HttpBodies;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 400 Helidon bodies open at once (files and a socket proxy, slow readers) on two carriers, recorded
 * with JFR: every body arrives whole, the agent moved them in the kernel, and no {@code
 * jdk.VirtualThreadPinned} event has an agent frame (Helidon's request threads are virtual: a wait
 * inside the agent that pinned its carrier would show here, and could stall the server).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HelidonPinningIT {

    private static final int CLIENTS = 400;
    private static final long BODY = 512 * 1024;

    @RegisterExtension
    static final SharedOrigin ORIGIN = new SharedOrigin();

    @TempDir
    static Path dir;

    @BeforeAll
    static void java25() {
        HelidonRun.assumeJava25();
    }

    @Test
    void manyBodiesOnTwoCarriersNeverPinInTheAgent() throws Exception {
        Path jfc = Files.writeString(dir.resolve("pinned.jfc"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration version="2.0">
                  <event name="jdk.VirtualThreadPinned">
                    <setting name="enabled">true</setting>
                    <setting name="stackTrace">true</setting>
                    <setting name="threshold">0 ms</setting>
                  </event>
                </configuration>
                """);
        Path recording = dir.resolve("helidon.jfr");
        HelidonStats stats;
        try (JavaProcess with = HelidonRun.start("", ORIGIN.port(), -1, "-Djdk.virtualThreadScheduler.parallelism=2",
                "-XX:StartFlightRecording:settings=" + jfc + ",filename=" + recording)) {
            HttpBodies.get(with.port(), "/file/" + BODY + "?mode=fixed"); // writes the file; the agent registers its MBean
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    Socket s = RawHttp.connect(with.port());
                    s.setReceiveBufferSize(32 * 1024);
                    s.setSoTimeout(120_000);
                    String path = (i % 2 == 0 ? "/file/" : "/proxy/") + BODY + "?mode=fixed";
                    s.getOutputStream().write(RawHttp.requestHead("GET", path, -1));
                    sockets.add(s);
                }
                assertEquals(CLIENTS, RoundRobinReaders.readAllToLength(sockets, 8, BODY, 240), "every body arrived whole");
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            stats = HelidonStats.await(with, a -> a.files() >= CLIENTS / 2 * (BODY - 1)
                    && a.spliced() >= CLIENTS / 2 * (BODY - (64 << 10)));
        } // SIGTERM: the recording is written at exit
        assertTrue(stats.files() >= CLIENTS / 2 * (BODY - 1) && stats.spliced() >= CLIENTS / 2 * (BODY - (64 << 10)),
                stats.toString());
        assertTrue(!stats.fallbacks().contains("virtual-thread") && !stats.fallbacks().contains("helidon-"), stats.toString());
        String pinned = pinnedEvents(recording);
        System.out.println("HelidonPinningIT: " + (pinned.split("jdk.VirtualThreadPinned \\{", -1).length - 1)
                + " pinned event(s) in all");
        assertTrue(!pinned.contains("dev.l7splice.agent.") && !pinned.contains("dev.l7splice.engine.")
                && !pinned.contains("dev.l7splice.kernel."), "pinned inside the agent:\n" + pinned);
    }

    /** The recording's jdk.VirtualThreadPinned events as text, printed by Java 25's own jfr tool. */
    private static String pinnedEvents(Path recording) throws Exception {
        assertTrue(Files.size(recording) > 0, "recording written");
        Path out = dir.resolve("pinned.txt");
        Process p = new ProcessBuilder(Jdks.JAVA_25.resolve("bin/jfr").toString(), "print", "--events",
                "jdk.VirtualThreadPinned", "--stack-depth", "64", recording.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, () -> "jfr print failed");
        return Files.readString(out);
    }
}
