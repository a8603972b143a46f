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

/**
 * Measures one gateway: a warm-up request, then {@link #RUNS} measured requests of the full size,
 * each verified, with the gateway's CPU time and (with the agent) its splice counters read
 * around the measured runs only. Used on the demo's main thread.
 */
final class ModeRunner {

    static final int RUNS = 3;
    private static final Duration JMX_TIMEOUT = Duration.ofSeconds(15);

    private final PrintStream console;
    private final long size;

    ModeRunner(PrintStream console, long size) {
        this.console = console;
        this.size = size;
    }

    ModeResult measure(String mode, ChildProcess gateway, boolean withAgent) throws IOException, InterruptedException {
        console.printf("%s (pid %d, port %d)%n", mode, gateway.pid(), gateway.port());
        // The warm-up compiles the hot paths, fills the origin's digest cache and makes the agent
        // register its MBean, so none of that lands in the measured numbers.
        boolean checksumsOk = report("warm-up", request(gateway.port()));
        Long splicedBefore = withAgent ? splicedSoFar(gateway.pid()) : null;
        double cpuBefore = ProcessCpu.seconds(gateway.pid());
        double[] mbps = new double[RUNS];
        long bytes = 0;
        for (int i = 0; i < RUNS; i++) {
            LoadResult r = request(gateway.port());
            checksumsOk &= report("run " + (i + 1) + "/" + RUNS, r);
            mbps[i] = r.mbps();
            bytes += r.bytes();
        }
        double cpu = ProcessCpu.seconds(gateway.pid()) - cpuBefore;
        String spliced = "-";
        String details = null;
        if (withAgent) {
            Optional<Map<String, Object>> stats = statsAfter(gateway.pid());
            spliced = stats.map(s -> splicedText(s, splicedBefore, RUNS * size)).orElse("n/a (no MBean)");
            details = stats.map(ModeRunner::details).orElse(null);
        }
        Arrays.sort(mbps);
        double perGb = bytes > 0 ? cpu / (bytes / 1e9) : Double.NaN;
        return new ModeResult(mode, mbps[RUNS / 2], perGb, spliced, checksumsOk, details);
    }

    private LoadResult request(int port) throws InterruptedException {
        return LoadClient.run(new LoadOptions().port(port).path("/bytes/" + size).verify(true));
    }

    private boolean report(String label, LoadResult r) {
        console.printf(Locale.ROOT, "  %-9s %9.1f MB/s  %s%n", label + ":", r.mbps(),
                r.allOk() ? "checksum ok" : "FAILED: " + r.firstFailure());
        return r.allOk();
    }

    private Long splicedSoFar(long pid) {
        try {
            return ((Number) JmxStats.await(pid, JMX_TIMEOUT).get("BytesSpliced")).longValue();
        } catch (IllegalStateException e) {
            console.println("  (agent stats unavailable: " + e.getMessage() + ")");
            return null;
        }
    }

    private Optional<Map<String, Object>> statsAfter(long pid) {
        try {
            return Optional.of(JmxStats.await(pid, JMX_TIMEOUT));
        } catch (IllegalStateException e) {
            console.println("  (agent stats unavailable: " + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    private static String splicedText(Map<String, Object> stats, Long before, long bodyBytes) {
        long after = ((Number) stats.get("BytesSpliced")).longValue();
        long delta = after - (before == null ? 0 : before);
        return String.format(Locale.ROOT, "%d (%.0f%%)", delta, 100.0 * delta / bodyBytes);
    }

    private static String details(Map<String, Object> stats) {
        StringBuilder sb = new StringBuilder();
        stats.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=')
                .append(String.valueOf(v).isEmpty() ? "none" : v));
        return sb.toString();
    }
}
