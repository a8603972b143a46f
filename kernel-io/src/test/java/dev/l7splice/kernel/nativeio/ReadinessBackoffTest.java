package dev.l7splice.kernel.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The wait used once the poller is given up: never a blocking poll(2), still ready-or-timeout. */
@Timeout(10)
class ReadinessBackoffTest {

    @Test
    void readyAtOnceOrAfterItsTimeout() throws Exception {
        long p = LinuxIo.pipe();
        int r = (int) (p >>> 32);
        int w = (int) p;
        try {
            long start = System.nanoTime();
            assertEquals(0, Readiness.backoffPoll(r, LinuxIo.POLLIN, 120));
            assertTrue(System.nanoTime() - start >= 120_000_000L);
            assertNotEquals(0, Readiness.backoffPoll(w, LinuxIo.POLLOUT, 120));
            LinuxIo.write(w, new byte[1], 0, 1);
            assertNotEquals(0, Readiness.backoffPoll(r, LinuxIo.POLLIN, 5000));
        } finally {
            LinuxIo.close(r);
            LinuxIo.close(w);
        }
    }

    @Test
    void disabledStaysDisabledWithItsFirstReason() {
        Readiness.disable("test: first");
        Readiness.disable("test: second");
        assertFalse(Readiness.parksVirtualThreads());
        assertNotNull(Readiness.notUsedBecause());
        assertTrue(Readiness.notUsedBecause().startsWith("test: first") || Readiness.notUsedBecause().startsWith("no poller"));
    }
}
