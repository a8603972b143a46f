package dev.l7splice.it.inline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.Modes;
import dev.l7splice.it.support.ProcStats;
import dev.l7splice.it.support.RawHttp;
import dev.l7splice.it.support.Threading;
import java.io.InputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults mid-body, each run through the gateway without the agent, then with it inline, with the
 * in-process relay and with the sidecar: the client sees the
 * same outcome, nothing hangs, the gateway's fd count returns to where it was and its CPU to idle;
 * with its connections on platform threads and, on Java 25, on virtual threads (also inline with
 * virtual-threads.poller=off, where the in-process relay moves the bodies while the threads park).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FaultIT {

    private static final long MIB = 1 << 20;

    static List<Arguments> modes() {
        List<Arguments> out = new java.util.ArrayList<>(Threading.crossedWith("none", "inline", "inprocess", "sidecar"));
        if (Threading.present().contains(Threading.VIRTUAL)) {
            out.add(Arguments.of("inline" + Modes.POLLER_OFF, Threading.VIRTUAL)); // bodies relayed while the thread parks
        }
        return out;
    }

    private static List<String> jvmOptions(String mode) throws Exception {
        return Modes.jvmOptions(mode, "");
    }

    @ParameterizedTest(name = "agent={0} {1}")
    @MethodSource("modes")
    void originKilledMidBody(String mode, Threading threading) throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess gw = JavaProcess.gateway(threading, jvmOptions(mode), origin.port())) {
            warmUp(gw);
            long fds = ProcStats.openFds(gw.pid());
            long threads = ProcStats.threads(gw.pid());
            long huge = 4L << 30;
            long got;
            try (Socket s = RawHttp.connect(gw.port())) {
                s.getOutputStream().write(RawHttp.requestHead("GET", "/bytes/" + huge + "?sha=0", -1));
                InputStream in = s.getInputStream();
                assertEquals(200, RawHttp.readHead(in).status);
                got = RawHttp.readUpTo(in, 8 * MIB);
                origin.kill();
                got += RawHttp.readUpTo(in, Long.MAX_VALUE); // must reach end of stream, not time out
            }
            assertTrue(got >= 8 * MIB && got < huge, "short body, then end of stream: " + got);
            assertSettled(gw, fds, threads);
        }
    }

    @ParameterizedTest(name = "agent={0} {1}")
    @MethodSource("modes")
    void clientResetsMidBody(String mode, Threading threading) throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess gw = JavaProcess.gateway(threading, jvmOptions(mode), origin.port())) {
            warmUp(gw);
            long fds = ProcStats.openFds(gw.pid());
            long threads = ProcStats.threads(gw.pid());
            for (int i = 0; i < 5; i++) {
                Socket s = RawHttp.connect(gw.port());
                s.getOutputStream().write(RawHttp.requestHead("GET", "/bytes/" + (1L << 30) + "?sha=0", -1));
                InputStream in = s.getInputStream();
                assertEquals(200, RawHttp.readHead(in).status);
                RawHttp.readUpTo(in, 4 * MIB);
                s.setSoLinger(true, 0); // close with RST
                s.close();
            }
            assertSettled(gw, fds, threads);
            warmUp(gw); // and it still serves
        }
    }

    @ParameterizedTest(name = "agent={0} {1}")
    @MethodSource("modes")
    void slowReaderGetsEveryByte(String mode, Threading threading) throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess gw = JavaProcess.gateway(threading, jvmOptions(mode), origin.port())) {
            warmUp(gw);
            long fds = ProcStats.openFds(gw.pid());
            long threads = ProcStats.threads(gw.pid());
            long n = 16 * MIB;
            try (Socket s = RawHttp.connect(gw.port())) {
                s.setReceiveBufferSize(64 * 1024);
                s.getOutputStream().write(RawHttp.requestHead("GET", "/bytes/" + n, -1));
                InputStream in = s.getInputStream();
                RawHttp.Response head = RawHttp.readHead(in);
                MessageDigest md = RawHttp.sha256();
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                for (int k; (k = in.read(buf)) >= 0; ) {
                    md.update(buf, 0, k);
                    total += k;
                    Thread.sleep(3);
                }
                assertEquals(n, total);
                assertEquals(BodyPattern.sha256Hex(n), HexFormat.of().formatHex(md.digest()));
                assertEquals(head.header("X-Body-SHA256"), BodyPattern.sha256Hex(n));
            }
            assertSettled(gw, fds, threads);
        }
    }

    private static void warmUp(JavaProcess gw) throws Exception {
        RawHttp.Response r = RawHttp.get(gw.port(), "/bytes/" + MIB);
        assertEquals(BodyPattern.sha256Hex(MIB), r.sha256, r::toString);
    }


    /**
     * No fd leak (a little slack for the JVM's own lazily opened files), no thread leak (slack for the
     * JIT's compiler threads, which come and go) and no spinning thread.
     */
    private static void assertSettled(JavaProcess gw, long fdsBefore, long threadsBefore) throws Exception {
        long after = ProcStats.settle(() -> ProcStats.openFdsUnchecked(gw.pid()), fdsBefore + 2, 15_000);
        assertTrue(after <= fdsBefore + 2, "fds before " + fdsBefore + ", after " + after + "\n" + gw.stderrTail());
        long threads = ProcStats.settle(() -> ProcStats.threads(gw.pid()), threadsBefore + 4, 15_000);
        assertTrue(threads <= threadsBefore + 4, "threads before " + threadsBefore + ", after " + threads);
        double cpu = ProcStats.appCpuOver(gw.pid(), 2000);
        assertTrue(cpu < 0.5, "gateway CPU (its threads, not the JIT's or GC's) over 2 s of idle: " + cpu + " s");
    }
}
