package dev.l7splice.it.loops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.AgentCounters;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-written copy loops in an unchanged legacy proxy ({@link LegacyLoopProxy}), with the agent:
 * the proven shapes move their bodies through the agent (its counters grow by the body's size,
 * spliced for a big body), the others are left and behave exactly as before (an XOR-ed body, a
 * count of bytes of value 7); every body is checked with SHA-256 and every loop's counter or exit
 * state with what the proxy prints. On Java 25 the proxy is compiled by Java 25's javac (class
 * file version 69). One transfer at a time, so counter deltas belong to it.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class CopyLoopIT {

    private static final long BIG = 64L << 20;
    private static final List<Long> SIZES = List.of(0L, 1L, 100_003L, BIG);
    private static final List<String> REWRITTEN = List.of("plain", "flush-counter", "for-counter", "buffered");
    private static final List<String> LEFT = List.of("xor", "count-sevens");

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void provenLoopsAreOffloadedAndTheOthersBehaveAsBefore(Path jdk) throws Exception {
        try (LoopOrigin origin = new LoopOrigin();
             JavaProcess proxy = start(jdk, "splice.min-bytes=0,report=true")) {
            LoopOrigin.exchange(proxy, origin, "plain", 0, 1); // the agent's MBean appears after a transfer
            AgentCounters.of(proxy.pid());
            int id = 1;
            for (String shape : all()) {
                for (long size : SIZES) {
                    AgentCounters before = AgentCounters.of(proxy.pid());
                    LoopOrigin.Outcome o = LoopOrigin.exchange(proxy, origin, shape, id++, size);
                    AgentCounters after = AgentCounters.of(proxy.pid());
                    String why = shape + " size=" + size + " on " + jdk + ": " + before + " -> " + after
                            + "\n" + proxy.stderrTail();
                    o.assertSameAsWithoutAgent(why);
                    long byAgent = after.bytesSpliced - before.bytesSpliced + after.bytesCopied - before.bytesCopied;
                    if (REWRITTEN.contains(shape)) {
                        assertEquals(size, byAgent, "every byte went through the agent: " + why);
                        if (size == BIG && after.fallbacks == before.fallbacks) {
                            assertTrue(after.bytesSpliced - before.bytesSpliced >= size - 65536, "spliced: " + why);
                        }
                    } else {
                        assertEquals(0, byAgent, "the loop ran as written: " + why);
                    }
                }
            }
            String err = proxy.output();
            for (String shape : REWRITTEN) {
                assertTrue(err.matches("(?s).*l7splice report: copy-loop " + LegacyLoopProxy.class.getName() + "\\."
                        + method(shape) + " line \\d+: rewritten\n.*"), shape + "\n" + err);
            }
            assertTrue(err.contains(method("xor") + " line "), err);
            assertTrue(err.matches("(?s).*\\.xor line \\d+: left, the buffer is used for something else.*"), err);
            assertTrue(err.matches("(?s).*\\.countSevens line \\d+: left, the buffer is used for something else.*"), err);
            assertFalse(err.contains("proxy failed") || err.contains("VerifyError"), err);
        }
    }

    @Test
    void toggleOffLeavesEveryLoop() throws Exception {
        try (LoopOrigin origin = new LoopOrigin();
             JavaProcess proxy = start(Jdks.current(), "splice.min-bytes=0,report=true,instrumentation.copy-loop.enabled=false")) {
            for (String shape : REWRITTEN) {
                LoopOrigin.exchange(proxy, origin, shape, 1, 100_003).assertSameAsWithoutAgent(shape);
            }
            // report=true, yet no line: the pass is not installed, every loop runs as written.
            assertFalse(proxy.output().contains("copy-loop"), proxy.output());
            assertFalse(proxy.output().contains("proxy failed"), proxy.output());
        }
    }

    private static JavaProcess start(Path jdk, String agentArgs) throws IOException, InterruptedException {
        return JavaProcess.start(jdk, LoopClasses.classPath(jdk, LegacyLoopProxy.class), List.of("-Xmx256m", JavaProcess.agent(agentArgs)),
                LegacyLoopProxy.class.getName());
    }

    private static String method(String shape) {
        StringBuilder sb = new StringBuilder();
        for (String part : shape.split("-")) {
            sb.append(sb.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return sb.toString();
    }

    private static List<String> all() {
        List<String> out = new ArrayList<>(REWRITTEN);
        out.addAll(LEFT);
        return out;
    }
}
