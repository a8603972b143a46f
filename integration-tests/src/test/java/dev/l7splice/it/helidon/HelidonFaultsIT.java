package dev.l7splice.it.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.SharedOrigin;
import dev.l7splice.it.tomcat.HttpBodies;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that resets its connection in the middle of a 256 MiB Helidon body (a file and a socket
 * source, fixed and chunked): the handler fails the same way with the agent as without it (Helidon's
 * own exception for a failed write), Helidon logs nothing above its quiet level, no fd is left open,
 * and the server keeps serving.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class HelidonFaultsIT {

    private static final long MIB = 1L << 20;
    private static final long BIG = 256 * MIB;

    @RegisterExtension
    static final SharedOrigin ORIGIN = new SharedOrigin();

    @BeforeAll
    static void java25() {
        HelidonRun.assumeJava25();
    }

    @Test
    void aClientResetMidBodyEndsTheRequestAsWithoutTheAgentAndLeaksNoFd() throws Exception {
        try (JavaProcess without = HelidonRun.start(null, ORIGIN.port(), -1);
             JavaProcess with = HelidonRun.start("", ORIGIN.port(), -1)) {
            List<String> paths = List.of("/file/" + BIG + "?mode=fixed", "/file/" + BIG + "?mode=chunked",
                    "/proxy/" + BIG + "?mode=fixed", "/proxy/" + BIG + "?mode=chunked");
            HttpBodies.get(with.port(), "/file/5?mode=fixed"); // the agent registers its MBean after its first transfer
            List<String> seen = new ArrayList<>();
            for (JavaProcess p : List.of(without, with)) {
                resetEach(p, paths); // a first round loads the classes of the error path (their jars' fds stay open)
                awaitOutcomes(p, paths.size());
                HelidonStats before = HelidonStats.of(p);
                resetEach(p, paths);
                String outcomes = awaitOutcomes(p, 2 * paths.size());
                assertEquals(2 * paths.size(), outcomes.lines().count(), outcomes + "\n" + p.stderrTail());
                for (String line : outcomes.split("\n")) {
                    assertTrue(line.endsWith("Exception"), outcomes + "\n" + p.stderrTail());
                }
                HelidonStats after = HelidonStats.of(p);
                for (int i = 0; i < 50 && after.fds() > before.fds() + 2; i++) {
                    Thread.sleep(100);
                    after = HelidonStats.of(p);
                }
                assertTrue(after.fds() <= before.fds() + 2, (p == with ? "with" : "without") + " the agent: "
                        + before.fds() + " -> " + after.fds() + " open fds");
                assertTrue(!p.stderrTail().contains("WARNING") && !p.stderrTail().contains("SEVERE"),
                        "Helidon logs a reset quietly\n" + p.stderrTail());
                HttpBodies.Body next = HttpBodies.get(p.port(), "/file/" + MIB + "?mode=chunked");
                assertEquals(BodyPattern.sha256Hex(MIB), next.sha256(), "the server still serves\n" + p.stderrTail());
                System.out.println((p == with ? "with" : "without") + " the agent: " + outcomes.replace('\n', ';'));
                seen.add(outcomes);
                if (p == with) {
                    assertTrue(after.files() - before.files() >= 4 << 20, "the agent sent the file bodies: " + after);
                    assertTrue(after.spliced() - before.spliced() >= 4 << 20, "the agent spliced the socket bodies: " + after);
                }
            }
            assertEquals(seen.get(0), seen.get(1), "the handler fails the same way with the agent");
        }
    }

    /**
     * A Content-Length that does not match the body: longer than a file (the body is short), shorter
     * than a file (a source known to be longer keeps Helidon's code, helidon-length, and Helidon fails
     * the write that crosses the length) or than a socket's body (the agent sends exactly the declared
     * bytes, then Helidon fails the next write): the handler ends the same way with the agent.
     */
    @Test
    void aContentLengthMismatchFailsTheHandlerAsWithoutTheAgent() throws Exception {
        try (JavaProcess without = HelidonRun.start(null, ORIGIN.port(), -1);
             JavaProcess with = HelidonRun.start("", ORIGIN.port(), -1)) {
            List<String> paths = List.of("/file/" + MIB + "?mode=fixed&declared=" + (2 * MIB),
                    "/file/" + (2 * MIB) + "?mode=fixed&declared=" + MIB, "/proxy/" + (2 * MIB) + "?mode=fixed&declared=" + MIB);
            List<String> seen = new ArrayList<>();
            for (JavaProcess p : List.of(without, with)) {
                for (String path : paths) {
                    try (Socket s = RawHttp.connect(p.port())) {
                        s.setSoTimeout(3000); // a body shorter than declared never ends
                        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        RawHttp.Response head = RawHttp.readHead(s.getInputStream());
                        long got;
                        try {
                            got = RawHttp.readUpTo(s.getInputStream(), Long.parseLong(head.header("content-length")));
                        } catch (java.io.IOException cut) {
                            got = -1;
                        }
                        assertTrue(got < 2 * MIB, path + ": " + got);
                    }
                }
                String outcomes = "";
                for (int i = 0; i < 50 && outcomes.lines().count() < paths.size(); i++) {
                    Thread.sleep(100);
                    outcomes = HelidonStats.text(p, "/outcomes");
                }
                seen.add(outcomes);
                HttpBodies.Body next = HttpBodies.get(p.port(), "/file/" + MIB + "?mode=fixed");
                assertEquals(BodyPattern.sha256Hex(MIB), next.sha256(), "the server still serves\n" + p.stderrTail());
            }
            assertEquals(seen.get(0), seen.get(1), "the handler ends the same way with the agent");
            assertTrue(seen.get(1).contains("/file/" + (2 * MIB) + " IOException"), seen.get(1));
            HelidonStats s = HelidonStats.of(with);
            assertEquals(1, s.count("helidon-length"), s.toString());
        }
    }

    /** Each path on a connection of its own, reset by the client after 4 MiB. */
    private static void resetEach(JavaProcess p, List<String> paths) throws java.io.IOException {
        for (String path : paths) {
            try (Socket s = RawHttp.connect(p.port())) {
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                in.readNBytes(4 << 20);
                s.setSoLinger(true, 0); // close with an RST
            }
        }
    }

    /** The outcome lines of the 256 MiB requests once there are {@code n} of them (at most 10 s). */
    private static String awaitOutcomes(JavaProcess p, int n) throws Exception {
        String outcomes = "";
        for (int i = 0; i < 100 && outcomes.lines().count() < n; i++) {
            Thread.sleep(100);
            outcomes = String.join("\n", HelidonStats.text(p, "/outcomes").lines()
                    .filter(l -> l.contains("/" + BIG + " ")).toList());
        }
        return outcomes;
    }
}
