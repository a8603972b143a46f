package dev.l7splice.demo.load;

import java.util.Locale;

/**
 * The outcome of one {@link LoadClient} run. Immutable.
 *
 * @param bytes body bytes moved by the successful requests: received for GET, sent for uploads
 * @param seconds wall time of the whole run
 * @param firstFailure why the first failed request failed, or null
 */
public record LoadResult(int requests, long ok, long failed, long bytes, double seconds, String firstFailure) {

    /** Megabytes (10^6) per second over the whole run. */
    public double mbps() {
        return seconds > 0 ? bytes / 1e6 / seconds : 0;
    }

    public boolean allOk() {
        return failed == 0;
    }

    /** The one line LoadClient prints. */
    public String summaryLine() {
        return String.format(Locale.ROOT, "requests=%d ok=%d failed=%d bytes=%d seconds=%.3f mbps=%.1f",
                requests, ok, failed, bytes, seconds, mbps());
    }
}
