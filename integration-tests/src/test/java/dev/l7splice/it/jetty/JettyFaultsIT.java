package dev.l7splice.it.jetty;

import static dev.l7splice.it.jetty.JettyIT.BIG;
import static dev.l7splice.it.jetty.JettyIT.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.jetty.JettyIT.Stats;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.tomcat.HttpBodies;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults through {@link JettyApp}, each compared with the same server without the agent: a
 * Content-Length that does not match the source, a client that resets mid-body, a client that
 * stops reading (Jetty's 3 s idle timeout). The servlet's outcome, the client's view and the
 * server's open fds must be the same as without the agent.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JettyFaultsIT {

    /** declared > actual fails at completion; declared < actual from a source of known length keeps Jetty's code. */
    @Test
    void aContentLengthMismatchFailsAsWithoutTheAgent() throws Exception {
        try (JavaProcess up = JettyIT.upstream();
             JavaProcess without = JettyIT.start(Jdks.current(), null, -1, up.port(), null);
             JavaProcess with = JettyIT.start(Jdks.current(), "", -1, up.port(), null)) {
            List<String> paths = List.of("/file/" + MIB + "?mode=fixed&declared=" + (2 * MIB),
                    "/url/fixed/" + MIB + "?mode=fixed&declared=" + (2 * MIB),
                    "/url/chunked/" + MIB + "?mode=fixed&declared=" + (2 * MIB),
                    "/file/" + (2 * MIB) + "?mode=fixed&declared=" + MIB,
                    "/url/fixed/" + (2 * MIB) + "?mode=fixed&declared=" + MIB);
            for (String path : paths) {
                String plain = outcome(without, path);
                String offloaded = outcome(with, path);
                assertEquals(plain, offloaded, path + "\n" + with.stderrTail());
                // Shorter than declared: cut. Longer: Jetty fails the write past the length, after a whole body here
                // (1 MiB is a multiple of the copy's writes, so the last write that fits ends exactly at the length).
                assertTrue(plain.startsWith(path.contains("declared=" + 2 * MIB) ? "short" : "whole"), path + ": " + plain);
            }
            Stats s = Stats.of(with);
            assertTrue(s.fallbacks().contains("jetty-length=2"), s.toString());
            for (JavaProcess p : List.of(without, with)) {
                HttpBodies.Body next = HttpBodies.get(p.port(), "/file/" + MIB + "?mode=fixed");
                assertEquals(BodyPattern.sha256Hex(MIB), next.sha256(), "the server still serves\n" + p.stderrTail());
            }
        }
    }

    /** The client's view of a response whose body is cut: "short" when fewer bytes than declared arrived. */
    private static String outcome(JavaProcess p, String path) throws IOException {
        try (Socket s = RawHttp.connect(p.port())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            RawHttp.Response head = RawHttp.readHead(s.getInputStream());
            long declared = Long.parseLong(head.header("content-length"));
            long got;
            try {
                got = RawHttp.readUpTo(s.getInputStream(), declared);
            } catch (IOException reset) {
                got = -1;
            }
            return (got < declared ? "short" : "whole") + " status=" + head.status;
        }
    }

    /** A client that resets its connection mid-body: the servlet fails as without the agent, and no fd is left behind. */
    @Test
    void aClientResetMidBodyEndsTheRequestAsWithoutTheAgentAndLeaksNoFd() throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess without = JettyIT.start(Jdks.current(), null, origin.port(), -1, null);
             JavaProcess with = JettyIT.start(Jdks.current(), "", origin.port(), -1, null)) {
            List<String> seen = new java.util.ArrayList<>();
            for (JavaProcess p : List.of(without, with)) {
                long fdsBefore = Stats.of(p).fds();
                for (String path : List.of("/file/" + BIG + "?mode=fixed", "/file/" + BIG + "?mode=chunked",
                        "/proxy/" + BIG + "?mode=fixed", "/proxy/" + BIG + "?mode=chunked")) {
                    try (Socket s = RawHttp.connect(p.port())) {
                        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        InputStream in = s.getInputStream();
                        in.readNBytes(4 << 20);
                        s.setSoLinger(true, 0); // close with an RST
                    }
                }
                String outcomes = "";
                for (int i = 0; i < 50 && outcomes.split("\n").length < 4; i++) {
                    Thread.sleep(100);
                    outcomes = String.join("\n", new String(JettyIT.body(p, "/outcomes"), StandardCharsets.US_ASCII).lines()
                            .filter(l -> l.contains("/" + BIG + " ")).toList());
                }
                assertEquals(4, outcomes.split("\n").length, outcomes);
                for (String line : outcomes.split("\n")) {
                    assertTrue(line.endsWith("Exception"), outcomes + "\n" + p.stderrTail());
                }
                long fdsAfter = Stats.of(p).fds();
                for (int i = 0; i < 50 && fdsAfter > fdsBefore + 2; i++) {
                    Thread.sleep(100);
                    fdsAfter = Stats.of(p).fds();
                }
                assertTrue(fdsAfter <= fdsBefore + 2, fdsBefore + " -> " + fdsAfter + " open fds");
                assertTrue(!p.stderrTail().contains("WARN"), "Jetty logs a reset quietly\n" + p.stderrTail());
                HttpBodies.Body next = HttpBodies.get(p.port(), "/file/" + MIB + "?mode=chunked");
                assertEquals(BodyPattern.sha256Hex(MIB), next.sha256(), "the server still serves\n" + p.stderrTail());
                System.out.println((p == with ? "with" : "without") + " the agent: " + outcomes.replace('\n', ';'));
                seen.add(outcomes);
            }
            assertEquals(seen.get(0), seen.get(1), "the servlet fails the same way with the agent");
        }
    }

    /** A client that stops reading: Jetty's idle timeout ends the response with the agent as without it. */
    @Test
    void aClientThatStopsReadingIsDroppedAfterTheIdleTimeout() throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess without = JettyIT.start(Jdks.current(), null, origin.port(), -1, null);
             JavaProcess with = JettyIT.start(Jdks.current(), "", origin.port(), -1, null)) {
            for (JavaProcess p : List.of(without, with)) {
                try (Socket s = RawHttp.connect(p.port())) {
                    s.setReceiveBufferSize(64 << 10);
                    s.getOutputStream().write(("GET /file/" + BIG + "?mode=fixed HTTP/1.1\r\nHost: t\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(6000); // longer than the 3 s idle timeout
                    long got;
                    try {
                        got = RawHttp.readUpTo(s.getInputStream(), BIG + 4096);
                    } catch (IOException reset) {
                        got = -1;
                    }
                    assertTrue(got < BIG, "the response was cut: " + got + "\n" + p.stderrTail());
                }
                HttpBodies.Body next = HttpBodies.get(p.port(), "/file/" + MIB + "?mode=fixed");
                assertEquals(BodyPattern.sha256Hex(MIB), next.sha256(), "the server still serves\n" + p.stderrTail());
            }
        }
    }

    /** A client that reads steadily but slowly: a body that takes longer than the 3 s idle timeout still arrives whole. */
    @Test
    void aSlowButSteadyClientGetsTheWholeBodyPastTheIdleTimeout() throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess with = JettyIT.start(Jdks.current(), "", origin.port(), -1, null)) {
            long n = 48 * MIB;
            for (String path : List.of("/file/" + n + "?mode=fixed", "/proxy/" + n + "?mode=chunked")) {
                Stats before = Stats.of(with);
                long start = System.nanoTime();
                try (Socket s = RawHttp.connect(with.port())) {
                    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    HttpBodies.Body b = HttpBodies.read(new Throttled(s.getInputStream()));
                    assertEquals(BodyPattern.sha256Hex(n), b.sha256(), path + "\n" + with.stderrTail());
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis > 4000, "took " + millis + " ms: not longer than the idle timeout");
                Stats after = Stats.await(with, a -> a.files() + a.spliced() - before.files() - before.spliced() >= n - MIB);
                assertTrue(after.files() + after.spliced() - before.files() - before.spliced() >= n - MIB, before + " -> " + after);
            }
        }
    }

    /** Reads at most 64 KiB per call and about 8 MiB/s. */
    private static final class Throttled extends java.io.FilterInputStream {
        private long read;
        private final long start = System.nanoTime();

        Throttled(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long due = start + read * 1_000_000_000L / (8 << 20);
            long wait = (due - System.nanoTime()) / 1_000_000;
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            }
            int k = super.read(b, off, Math.min(len, 64 << 10));
            read += Math.max(k, 0);
            return k;
        }
    }
}
