package dev.l7splice.agent.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ReasonThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final ReasonThrottle throttle = new ReasonThrottle(100, now::get);

    @Test
    void theFirstPassesTheRestOfTheIntervalAreCountedIntoTheNextOne() {
        assertEquals(1, throttle.occur("ssl"));
        now.addAndGet(10);
        assertEquals(0, throttle.occur("ssl"));
        assertEquals(0, throttle.occur("ssl"));
        now.addAndGet(89);
        assertEquals(0, throttle.occur("ssl"), "still within the interval");
        now.addAndGet(1);
        assertEquals(4, throttle.occur("ssl"), "three held back, and this one");
        assertEquals(0, throttle.occur("ssl"));
    }

    @Test
    void eachReasonHasItsOwnInterval() {
        assertEquals(1, throttle.occur("ssl"));
        assertEquals(1, throttle.occur("no-pipe"));
        assertEquals(0, throttle.occur("ssl"));
        now.addAndGet(1_000);
        assertEquals(2, throttle.occur("ssl"));
        assertEquals(1, throttle.occur("no-pipe"));
    }
}
