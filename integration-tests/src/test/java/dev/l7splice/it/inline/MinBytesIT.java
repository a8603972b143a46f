package dev.l7splice.it.inline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.AgentCounters;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.RawHttp;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The automatic choice in the unchanged demo gateway: a body below {@code splice.min-bytes} is
 * copied in user space and never touches a pipe; a body above it is copied up to the threshold,
 * then spliced. Read from the agent's counters, one transfer at a time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MinBytesIT {

    private static final long MIN = 64 * 1024;

    @Test
    void belowTheThresholdCopiedAboveItSpliced() throws Exception {
        try (JavaProcess origin = JavaProcess.origin(Jdks.current());
             JavaProcess gw = JavaProcess.gateway(Jdks.current(),
                     List.of(JavaProcess.agent("splice.min-bytes=" + MIN)), origin.port())) {
            long small = 40_000;
            get(gw, small);
            AgentCounters c1 = AgentCounters.of(gw.pid());
            assertEquals(small, c1.bytesCopied, c1.toString());
            assertEquals(0, c1.bytesSpliced, c1.toString());
            assertEquals(0, c1.offloaded, "no pipe for a small body: " + c1);

            long large = 4L << 20;
            get(gw, large);
            AgentCounters c2 = AgentCounters.of(gw.pid());
            long copied = c2.bytesCopied - c1.bytesCopied;
            long spliced = c2.bytesSpliced - c1.bytesSpliced;
            assertEquals(large, copied + spliced, c2.toString());
            if (!c2.fallbacksByReason.contains("no-pipe")) { // a pipe refused under the per-user limit copies instead
                // The threshold counts whole reads: at most one buffer (8 KiB) beyond it.
                assertTrue(copied >= MIN && copied <= MIN + 8192, "copied up to the threshold: " + c2);
                assertEquals(1, c2.offloaded, c2.toString());
            }
        }
    }

    private static void get(JavaProcess gw, long n) throws Exception {
        RawHttp.Response r = RawHttp.get(gw.port(), "/bytes/" + n);
        assertEquals(n, r.bodyBytes);
        assertEquals(BodyPattern.sha256Hex(n), r.sha256);
    }
}
