package dev.l7splice.it.loops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.AgentCounters;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A TCP forwarder written the widely copied {@code ForwardThread} way ({@link TcpForwarder}: two
 * threads per connection, streams in fields, a break on -1, a flush after each write), unchanged,
 * without and with the agent: both directions of every exchange SHA-256 checked; with the agent the
 * loops are reported rewritten and every byte goes through the agent's counters (faults:
 * {@link ForwarderFaultIT}); the shape the agent must leave (a setter can swap the stream) forwards as
 * before and is counted as {@code copy-loop-left:field-written}. One exchange at a time, so counter
 * deltas belong to it.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ForwarderIT {

    private static final long BIG = 64L << 20;
    private static final List<Long> SIZES = List.of(0L, 1L, 32767L, 32768L, 32769L, 1L << 20, BIG);
    private static final String SHA_LINE = "%064x\n".formatted(0); // the origin's answer line: 65 bytes

    static List<Path> jdks() {
        return Jdks.all();
    }

    /** On Java 25 the forwarder is compiled by Java 25's javac (class file version 69). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void forwardsEveryBodyWithAndWithoutTheAgentAndTheLoopsAreOffloaded(Path jdk) throws Exception {
        for (boolean agent : new boolean[] {false, true}) {
            try (ForwarderOrigin origin = new ForwarderOrigin();
                 JavaProcess fwd = start(jdk, agent ? List.of(JavaProcess.agent("report=true")) : List.of(), origin)) {
                if (agent) {
                    origin.exchange(fwd.port(), 0, 1, 1, false); // the agent's MBean appears after a transfer
                }
                int id = 1;
                for (long size : SIZES) {
                    long up = size == BIG ? 1L << 20 : size; // the big one downloads; a 1 MiB upload beside it
                    AgentCounters before = agent ? AgentCounters.of(fwd.pid()) : null;
                    ForwarderOrigin.Outcome o = origin.exchange(fwd.port(), id++, up, size, false);
                    String why = "size=" + size + " agent=" + agent + " on " + jdk + "\n" + fwd.stderrTail();
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

    /** offload=inprocess: the loops return at once, the forwarder half-closes and closes; bodies stay whole. */
    @Test
    void handedOffBodiesArriveWhole() throws Exception {
        try (ForwarderOrigin origin = new ForwarderOrigin();
             JavaProcess fwd = start(List.of(JavaProcess.agent("offload=inprocess")), origin)) {
            origin.exchange(fwd.port(), 0, 1, 1, false);
            AgentCounters before = AgentCounters.of(fwd.pid());
            int id = 1;
            for (long size : List.of(0L, 32769L, 1L << 20, BIG)) {
                ForwarderOrigin.Outcome o = origin.exchange(fwd.port(), id++, Math.min(size, 1L << 20), size, false);
                assertEquals(o.upSent(), o.upReceived(), "upload " + size + "\n" + fwd.stderrTail());
                assertEquals(o.downSent(), o.downReceived(), "download " + size + "\n" + fwd.stderrTail());
            }
            AgentCounters after = AgentCounters.of(fwd.pid());
            assertTrue(after.handedOff > before.handedOff, before + " -> " + after);
            assertFalse(fwd.output().contains("forward failed"), fwd.stderrTail());
        }
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
        return LoopClasses.forwarder(Jdks.current(), agent, origin.port(), mode);
    }

    private static JavaProcess start(Path jdk, List<String> agent, ForwarderOrigin origin)
            throws IOException, InterruptedException {
        return LoopClasses.forwarder(jdk, agent, origin.port());
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

}
