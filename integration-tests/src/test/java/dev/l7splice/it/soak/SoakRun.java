package dev.l7splice.it.soak;

import dev.l7splice.it.support.AgentCounters;
import dev.l7splice.it.support.Artifacts;
import dev.l7splice.it.support.JavaProcess;
import dev.l7splice.it.support.Jdks;
import dev.l7splice.it.support.ProcStats;
import dev.l7splice.it.support.Sidecar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One soak run: a forwarder JVM in one mode (no agent, or the agent inline, in-process or with a
 * sidecar) between the soak's clients and origin, {@code transfers} planned transfers from
 * {@code seed}, {@code concurrency} at a time; then the verdicts by kind, the failures, and the
 * forwarder's fds, threads and idle CPU once traffic stopped. SoakIT runs a bounded one per mode;
 * bench/soak runs long ones through {@link #main}.
 */
public final class SoakRun {

    /** The outcome: verdict counts, the first failures in full, and the forwarder at rest. */
    record Report(String mode, Map<SoakClient.Verdict, Integer> counts, List<SoakClient.Result> failures,
                  long fdsBefore, long fdsAfter, long threadsBefore, long threadsAfter, double idleCpu,
                  String agent) {

        int bad() {
            return counts.get(SoakClient.Verdict.TRUNCATED) + counts.get(SoakClient.Verdict.CORRUPT)
                    + counts.get(SoakClient.Verdict.HUNG) + counts.get(SoakClient.Verdict.ERROR);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(String.format("%-10s %s fds %d->%d threads %d->%d idle-cpu %.2fs %s",
                    mode, counts, fdsBefore, fdsAfter, threadsBefore, threadsAfter, idleCpu, agent));
            failures.forEach(f -> b.append("\n  ").append(f));
            return b.toString();
        }
    }

    private SoakRun() {
    }

    static Report run(String mode, Path jdk, long seed, int transfers, int concurrency, long maxSize)
            throws Exception {
        return run(mode, jdk, seed, transfers, concurrency, maxSize, true);
    }

    static Report run(String mode, Path jdk, long seed, int transfers, int concurrency, long maxSize,
                      boolean faults) throws Exception {
        try (SoakOrigin origin = new SoakOrigin(); Sidecar sidecar = mode.equals("sidecar")
                ? Sidecar.start(Sidecar.socketDir().resolve("relay.sock")) : null) {
            List<String> opts = new ArrayList<>(List.of("-Xmx256m"));
            if (!mode.equals("none")) {
                String args = sidecar != null ? sidecar.agentArgs() : "offload=" + mode;
                opts.add(JavaProcess.agent(args));
            }
            String cp = Path.of(System.getProperty("l7.it.testClasses", "target/test-classes")).toAbsolutePath()
                    + ":" + Artifacts.demoJar();
            try (JavaProcess fwd = JavaProcess.start(jdk, cp, opts, SoakForwarder.class.getName(),
                    Integer.toString(origin.port()))) {
                ExecutorService clients = Executors.newFixedThreadPool(concurrency);
                ExecutorService writers = Executors.newCachedThreadPool();
                try {
                    runAll(fwd.port(), origin, clients, writers, seed, -concurrency, 0, maxSize, faults); // warm-up: pools, relay loops
                    boolean agent = !mode.equals("none");
                    long pipes0 = agent ? pipesOpen(fwd.pid()) : 0; // pooled pipes are kept, not leaked
                    long fds0 = ProcStats.openFds(fwd.pid());
                    long threads0 = threads(fwd.pid());
                    Map<SoakClient.Verdict, Integer> counts = new EnumMap<>(SoakClient.Verdict.class);
                    for (SoakClient.Verdict v : SoakClient.Verdict.values()) {
                        counts.put(v, 0);
                    }
                    List<SoakClient.Result> failures = new ArrayList<>();
                    for (SoakClient.Result r : runAll(fwd.port(), origin, clients, writers, seed, 0, transfers, maxSize, faults)) {
                        counts.merge(r.verdict(), 1, Integer::sum);
                        if (r.verdict() != SoakClient.Verdict.OK && r.verdict() != SoakClient.Verdict.EXPECTED_FAULT
                                && failures.size() < 20) {
                            failures.add(r);
                        }
                    }
                    long pooled = agent ? 2 * (pipesOpen(fwd.pid()) - pipes0) : 0;
                    long fds1 = ProcStats.settle(() -> ProcStats.openFdsUnchecked(fwd.pid()), fds0 + pooled, 10_000)
                            - pooled;
                    long threads1 = ProcStats.settle(() -> threads(fwd.pid()), threads0, 10_000);
                    double idle = ProcStats.appCpuOver(fwd.pid(), 2000);
                    String counters = agent ? AgentCounters.of(fwd.pid()).toString() : "";
                    return new Report(mode, counts, failures, fds0, fds1, threads0, threads1, idle, counters);
                } finally {
                    clients.shutdownNow();
                    writers.shutdownNow();
                }
            }
        }
    }

    /** Transfers {@code from..from+count-1} of the seed's plan, {@code concurrency} at a time. */
    private static List<SoakClient.Result> runAll(int port, SoakOrigin origin, ExecutorService clients,
                                                  ExecutorService writers, long seed, long from, long count,
                                                  long maxSize, boolean faults) throws Exception {
        long n = count > 0 ? count : -from;
        List<Future<SoakClient.Result>> futures = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            SoakPlan p = count > 0 ? SoakPlan.draw(seed, from + i, maxSize, faults)
                    : new SoakPlan(-1 - i, 1 << 20, 1 << 20, true, false, false, SoakPlan.Fault.NONE, 0);
            futures.add(clients.submit(() -> SoakClient.run(p, port, origin, writers)));
        }
        List<SoakClient.Result> results = new ArrayList<>();
        for (Future<SoakClient.Result> f : futures) {
            results.add(f.get(10, TimeUnit.MINUTES));
        }
        return results;
    }

    private static long pipesOpen(long pid) {
        return ((Number) dev.l7splice.demo.JmxStats.await(pid, java.time.Duration.ofSeconds(20)).get("PipesOpen")).longValue();
    }

    /**
     * The forwarder's connection and pump threads and the agent's own (by name, from /proc): the
     * JVM starts compiler and attach threads of its own as it pleases, which are no leak.
     */
    private static long threads(long pid) {
        try (var tasks = java.nio.file.Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.filter(t -> {
                try {
                    String name = java.nio.file.Files.readString(t.resolve("comm")).strip();
                    return name.startsWith("forward") || name.startsWith("Thread-") || name.startsWith("l7splice");
                } catch (IOException gone) {
                    return false; // the thread ended while we looked
                }
            }).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * bench/soak: {@code SoakRun MODES TRANSFERS [SEED] [MAX_BYTES] [CONCURRENCY] [JDK]}, modes
     * comma-separated; prints one report per mode and exits 1 if any transfer went wrong.
     */
    public static void main(String[] args) throws Exception {
        int transfers = Integer.parseInt(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        long max = args.length > 3 ? Long.parseLong(args[3]) : 8L << 20;
        int concurrency = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        Path jdk = args.length > 5 ? Path.of(args[5]) : Jdks.current();
        boolean bad = false;
        for (String mode : args[0].split(",")) {
            long t0 = System.nanoTime();
            Report r = run(mode, jdk, seed, transfers, concurrency, max);
            System.out.println(r + String.format("%n  (%d transfers, seed %d, max %d bytes, %.0f s)", transfers, seed,
                    max, (System.nanoTime() - t0) / 1e9));
            bad |= r.bad() > 0 || r.fdsAfter() > r.fdsBefore() + 2 || r.threadsAfter() > r.threadsBefore();
        }
        System.exit(bad ? 1 : 0);
    }
}
