package dev.l7splice.demo.run;

import dev.l7splice.demo.JmxStats;
import dev.l7splice.demo.load.LoadClient;
import dev.l7splice.demo.load.LoadOptions;
import dev.l7splice.demo.load.LoadResult;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Measures one gateway: a warm-up request, then {@link #RUNS} measured requests of the full size,
 * each verified, with the gateway's CPU time, the sidecar relay's CPU time (when there is one) and
 * (with the agent) its splice counters read around the measured runs only. Used on the demo's main
 * thread.
 */
final class ModeRunner {

    static final int RUNS = 3;
    private static final Duration JMX_TIMEOUT = Duration.ofSeconds(15);
    /** How long a hand-off mode's counters may take to catch up with what the client received. */
    private static final long SETTLE_MILLIS = 5_000;
    private static final long SETTLE_POLL_MILLIS = 250;

    private final PrintStream console;
    private final long size;

    ModeRunner(PrintStream console, long size) {
        this.console = console;
        this.size = size;
    }

    /**
     * @param relay the sidecar relay process the gateway hands bodies to, or null (its port is the
     *     relay's admin port)
     */
    ModeResult measure(DemoMode mode, ChildProcess gateway, ChildProcess relay) throws IOException, InterruptedException {
        console.printf("%s (pid %d, port %d)%s%n", mode.label, gateway.pid(), gateway.port(),
                relay == null ? "" : String.format(Locale.ROOT, "; relay pid %d, admin port %d", relay.pid(), relay.port()));
        // The warm-up compiles the hot paths, fills the origin's digest cache and makes the agent
        // register its MBean, so none of that lands in the measured numbers.
        boolean checksumsOk = report("warm-up", request(mode, gateway.port()));
        Long splicedBefore = mode.withAgent() ? counterSoFar(gateway.pid(), mode) : null;
        OptionalLong relayBytesBefore = relay == null ? OptionalLong.empty()
                : RelayMetrics.read(relay.port(), RelayMetrics.BYTES_SPLICED);
        double cpuBefore = ProcessCpu.seconds(gateway.pid());
        double relayCpuBefore = relay == null ? 0 : ProcessCpu.seconds(relay.pid());
        double[] mbps = new double[RUNS];
        long bytes = 0;
        for (int i = 0; i < RUNS; i++) {
            LoadResult r = request(mode, gateway.port());
            checksumsOk &= report("run " + (i + 1) + "/" + RUNS, r);
            mbps[i] = r.mbps();
            bytes += r.bytes();
        }
        double cpu = ProcessCpu.seconds(gateway.pid()) - cpuBefore;
        double relayCpu = relay == null ? Double.NaN : ProcessCpu.seconds(relay.pid()) - relayCpuBefore;
        String spliced = "-";
        String details = null;
        if (mode.withAgent()) {
            Optional<Map<String, Object>> stats = settledStats(gateway.pid(), mode);
            spliced = stats.map(s -> splicedText(s, mode, splicedBefore, RUNS * size)).orElse("n/a (no MBean)");
            details = stats.map(ModeRunner::details).orElse(null);
        }
        if (relay != null) {
            OptionalLong relayBytesAfter = RelayMetrics.read(relay.port(), RelayMetrics.BYTES_SPLICED);
            String relayText = relayBytesAfter.isPresent()
                    ? "relay " + RelayMetrics.BYTES_SPLICED + "=" + relayBytesAfter.getAsLong()
                            + (relayBytesBefore.isPresent()
                                    ? " (measured runs: " + (relayBytesAfter.getAsLong() - relayBytesBefore.getAsLong()) + ")" : "")
                    : "relay metrics unavailable";
            details = details == null ? relayText : details + "; " + relayText;
        }
        Arrays.sort(mbps);
        double perGb = bytes > 0 ? cpu / (bytes / 1e9) : Double.NaN;
        double relayPerGb = bytes > 0 ? relayCpu / (bytes / 1e9) : Double.NaN;
        return new ModeResult(mode.label, mbps[RUNS / 2], perGb, relayPerGb, spliced, checksumsOk, details);
    }

    private LoadResult request(DemoMode mode, int port) throws InterruptedException {
        return LoadClient.run(new LoadOptions().port(port).path(mode.path(size)).verify(true));
    }

    private boolean report(String label, LoadResult r) {
        console.printf(Locale.ROOT, "  %-9s %9.1f MB/s  %s%n", label + ":", r.mbps(),
                r.allOk() ? "checksum ok" : "FAILED: " + r.firstFailure());
        return r.allOk();
    }

    private Long counterSoFar(long pid, DemoMode mode) throws InterruptedException {
        return settledStats(pid, mode).map(stats -> counter(stats, mode)).orElse(null);
    }

    /**
     * The agent's counters once they are settled. With a hand-off mode the client may have read the
     * last byte a moment before the relay's count reached the agent's counters (the sidecar reports
     * a transfer when it is done, over its control connection): read again until the counter shown
     * stops moving, for a few seconds at most.
     */
    private Optional<Map<String, Object>> settledStats(long pid, DemoMode mode) throws InterruptedException {
        Map<String, Object> stats;
        try {
            stats = JmxStats.await(pid, JMX_TIMEOUT);
            long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
            while (mode.handsOff() && System.nanoTime() - deadline < 0) {
                Thread.sleep(SETTLE_POLL_MILLIS);
                Map<String, Object> next = JmxStats.await(pid, JMX_TIMEOUT);
                boolean settled = counter(next, mode) == counter(stats, mode);
                stats = next;
                if (settled) {
                    break;
                }
            }
        } catch (IllegalStateException e) {
            console.println("  (agent stats unavailable: " + e.getMessage() + ")");
            return Optional.empty();
        }
        return Optional.of(stats);
    }

    private static long counter(Map<String, Object> stats, DemoMode mode) {
        Object v = stats.get(mode.splicedAttribute);
        return v instanceof Number ? ((Number) v).longValue() : 0;
    }

    private static String splicedText(Map<String, Object> stats, DemoMode mode, Long before, long bodyBytes) {
        long delta = counter(stats, mode) - (before == null ? 0 : before);
        return String.format(Locale.ROOT, "%d (%.1f%%)", delta, 100.0 * delta / bodyBytes);
    }

    private static String details(Map<String, Object> stats) {
        StringBuilder sb = new StringBuilder();
        stats.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=')
                .append(String.valueOf(v).isEmpty() ? "none" : v));
        return sb.toString();
    }
}
