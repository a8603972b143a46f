package dev.l7splice.it.loops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.AgentCounters;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.ProcStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A TCP forwarder written the widely copied {@code ForwardThread} way ({@link TcpForwarder}: two
 * threads per connection, streams in fields, a break on -1, a flush after each write), unchanged,
 * without and with the agent: both directions of every exchange SHA-256 checked; with the agent the
 * loops are reported rewritten and every byte goes through the agent's counters; an origin that
 * resets mid-body, or a client that does, ends the forwarder's thread with the same exception as
 * without the agent and leaves no fd behind; the shape the agent must leave (a setter can swap the stream) forwards as
 * before and is counted as {@code copy-loop-left:field-written}. One exchange at a time, so counter
 * deltas belong to it.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ForwarderIT {

    private static final long BIG = 64L << 20;
    private static final List<Long> SIZES = List.of(0L, 1L, 32767L, 32768L, 32769L, 1L << 20, BIG);
    private static final String SHA_LINE = "%064x\n".formatted(0); // the origin's answer line: 65 bytes

    @Test
    void forwardsEveryBodyWithAndWithoutTheAgentAndTheLoopsAreOffloaded() throws Exception {
        for (boolean agent : new boolean[] {false, true}) {
            try (ForwarderOrigin origin = new ForwarderOrigin();
                 JavaProcess fwd = start(agent ? List.of(JavaProcess.agent("report=true")) : List.of(), origin)) {
                if (agent) {
                    origin.exchange(fwd.port(), 0, 1, 1, false); // the agent's MBean appears after a transfer
                }
                int id = 1;
                for (long size : SIZES) {
                    long up = size == BIG ? 1L << 20 : size; // the big one downloads; a 1 MiB upload beside it
                    AgentCounters before = agent ? AgentCounters.of(fwd.pid()) : null;
                    ForwarderOrigin.Outcome o = origin.exchange(fwd.port(), id++, up, size, false);
                    String why = "size=" + size + " agent=" + agent + "\n" + fwd.stderrTail();
                    assertEquals(o.upSent(), o.upReceived(), "upload: " + why);
                    assertEquals(o.downSent(), o.downReceived(), "download: " + why);
                    assertEquals("eof", o.clientEnd(), why);
                    if (agent) {
                        long expected = o.lineLength() + up + SHA_LINE.length() + size;
                        AgentCounters after = awaitBytes(fwd, before, expected);
                        assertEquals(expected, byAgent(before, after), "every byte through the agent: " + before
                                + " -> " + after + " " + why);
                        if (size == BIG) {
                            assertTrue(after.bytesSpliced - before.bytesSpliced >= size - (1 << 20), "spliced: " + why);
                        }
                        assertFalse(after.fallbacksByReason.contains("copy-loop-left"), after + " " + why);
                    }
                }
                String err = fwd.output();
                assertFalse(err.contains("forward failed") || err.contains("VerifyError"), err);
                assertEquals(agent, err.matches("(?s).*l7splice report: copy-loop " + ForwardThread.class.getName()
                        + "\\.run line \\d+: rewritten\n.*"), err);
            }
        }
    }

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

    @Test
    void aSwappableStreamIsLeftCountedAndForwardsAsBefore() throws Exception {
        String err;
        try (ForwarderOrigin origin = new ForwarderOrigin();
             JavaProcess fwd = start(List.of(JavaProcess.agent("report=true,log.level=info")), origin, "swappable")) {
            ForwarderOrigin.Outcome o = origin.exchange(fwd.port(), 1, 100_003, 1L << 20, false);
            assertEquals(o.upSent(), o.upReceived(), fwd.stderrTail());
            assertEquals(o.downSent(), o.downReceived(), fwd.stderrTail());
            fwd.close(); // the agent's counters are printed at exit (no transfer reached it: no MBean)
            err = fwd.output();
        }
        assertTrue(err.matches("(?s).*copy-loop " + SwappableForwardThread.class.getName() + "\\.run line \\d+: left,"
                + " the stream field mOutputStream is written by setOutputStream.*"), err);
        assertTrue(err.matches("(?s).*at exit: .*fallbacks=\\{[^}]*copy-loop-left:field-written=1.*"), err);
        assertTrue(err.matches("(?s).*at exit: .*bytesSpliced=0 bytesCopied=0 .*"), err);
    }

    private static JavaProcess start(List<String> agent, ForwarderOrigin origin, String... mode)
            throws IOException, InterruptedException {
        List<String> opts = new ArrayList<>(List.of("-Xmx128m"));
        opts.addAll(agent);
        List<String> args = new ArrayList<>(List.of(Integer.toString(origin.port())));
        args.addAll(List.of(mode));
        return JavaProcess.start(Jdks.current(), Path.of("target/test-classes").toAbsolutePath().toString(), opts,
                TcpForwarder.class.getName(), args.toArray(new String[0]));
    }

    private static long byAgent(AgentCounters before, AgentCounters after) {
        return after.bytesSpliced - before.bytesSpliced + after.bytesCopied - before.bytesCopied;
    }

    /** The client has its EOF a moment before the forwarder's threads have counted their last bytes. */
    private static AgentCounters awaitBytes(JavaProcess fwd, AgentCounters before, long expected) throws Exception {
        AgentCounters after = AgentCounters.of(fwd.pid());
        for (int i = 0; i < 100 && byAgent(before, after) < expected; i++) {
            Thread.sleep(50);
            after = AgentCounters.of(fwd.pid());
        }
        return after;
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
