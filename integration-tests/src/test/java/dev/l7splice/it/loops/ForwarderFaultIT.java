package dev.l7splice.it.loops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.ProcStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults through the {@code ForwardThread}-style {@link TcpForwarder}, without and with the agent:
 * an origin that resets mid-body, or a client that does, ends the forwarder's thread with the same
 * exception (printed by the forwarder) in both runs, leaves no fd behind (the agent's pipes pooled
 * by a warm-up exchange first), and the forwarder goes on serving.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ForwarderFaultIT {

    private static final long BIG = 64L << 20;

    @Test
    void anOriginResetMidBodyEndsTheSameWayAndLeavesNoFd() throws Exception {
        List<String> failures = new ArrayList<>();
        for (boolean agent : new boolean[] {false, true}) {
            try (ForwarderOrigin origin = new ForwarderOrigin();
                 JavaProcess fwd = start(agent ? List.of(JavaProcess.agent("")) : List.of(), origin)) {
                // Warm: threads, classes, and with the agent its pooled pipes (one per direction).
                origin.exchange(fwd.port(), 1, 1L << 20, 1L << 20, false);
                long fds = ProcStats.openFds(fwd.pid());
                ForwarderOrigin.Outcome o = origin.exchange(fwd.port(), 2, 0, 8L << 20, true);
                assertTrue(o.downBytes() < 8L << 20, "the body was cut: " + o);
                String line = awaitLine(fwd, "forward failed down: ");
                failures.add(line + " / client " + (o.clientEnd().equals("eof") ? "eof" : "exception"));
                long after = ProcStats.settle(() -> ProcStats.openFdsUnchecked(fwd.pid()), fds, 15_000);
                assertTrue(after <= fds, "fds before " + fds + ", after " + after + "\n" + fwd.stderrTail());
                ForwarderOrigin.Outcome next = origin.exchange(fwd.port(), 3, 5000, 100_000, false);
                assertEquals(next.downSent(), next.downReceived(), "the forwarder still works: " + fwd.stderrTail());
            }
        }
        assertEquals(failures.get(0), failures.get(1), "the same exception with and without the agent");
        assertTrue(failures.get(0).contains("java.net.SocketException"), failures.toString());
    }

    @Test
    void aClientResetMidBodyEndsTheSameWayAndLeavesNoFd() throws Exception {
        List<String> failures = new ArrayList<>();
        for (boolean agent : new boolean[] {false, true}) {
            try (ForwarderOrigin origin = new ForwarderOrigin();
                 JavaProcess fwd = start(agent ? List.of(JavaProcess.agent("")) : List.of(), origin)) {
                origin.exchange(fwd.port(), 1, 1L << 20, 1L << 20, false);
                long fds = ProcStats.openFds(fwd.pid());
                assertEquals(1L << 20, origin.clientReset(fwd.port(), 2, BIG, 1 << 20));
                failures.add(awaitLine(fwd, "forward failed down: ").replaceAll("\\s+", " "));
                long after = ProcStats.settle(() -> ProcStats.openFdsUnchecked(fwd.pid()), fds, 15_000);
                assertTrue(after <= fds, "fds before " + fds + ", after " + after + "\n" + fwd.stderrTail());
                ForwarderOrigin.Outcome next = origin.exchange(fwd.port(), 3, 5000, 100_000, false);
                assertEquals(next.downSent(), next.downReceived(), "the forwarder still works: " + fwd.stderrTail());
            }
        }
        assertEquals(failures.get(0), failures.get(1), "the same exception with and without the agent");
    }

    private static JavaProcess start(List<String> agent, ForwarderOrigin origin) throws IOException, InterruptedException {
        return LoopClasses.forwarder(Jdks.current(), agent, origin.port());
    }

    private static String awaitLine(JavaProcess fwd, String prefix) throws Exception {
        Pattern p = Pattern.compile("(?m)^" + Pattern.quote(prefix) + ".*$");
        for (int i = 0; i < 500; i++) {
            Matcher m = p.matcher(fwd.output());
            if (m.find()) {
                return m.group();
            }
            Thread.sleep(20);
        }
        throw new IOException("no line " + prefix + "\n" + fwd.stderrTail());
    }
}
