package dev.l7splice.agent.jfr;

import java.util.concurrent.TimeUnit;

/** Commits {@link FallbackEvent}s, one per reason per second. Loaded only when jdk.jfr is present. */
final class FallbackEvents {

    private static final ReasonThrottle THROTTLE = new ReasonThrottle(TimeUnit.SECONDS.toNanos(1), System::nanoTime);

    private FallbackEvents() {
    }

    static void fallback(String reason) {
        FallbackEvent e = new FallbackEvent();
        if (!e.isEnabled()) {
            return;
        }
        long count = THROTTLE.occur(reason);
        if (count > 0) {
            e.reason = reason;
            e.count = count;
            e.commit();
        }
    }
}
