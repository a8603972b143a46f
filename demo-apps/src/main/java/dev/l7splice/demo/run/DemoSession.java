package dev.l7splice.demo.run;

import dev.l7splice.demo.cli.Sizes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One demo: origin, a gateway without and one with the agent, the measurements, the table.
 * Owns the child processes: they are destroyed on {@link #close} and, should the JVM be stopped
 * first (Ctrl-C), by a shutdown hook. Used on the main thread; the hook may run on any thread.
 */
public final class DemoSession implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final DemoOptions options;
    private final Path agentJar;
    private final PrintStream console;
    private final List<ChildProcess> children = new ArrayList<>();
    private final Thread destroyHook = new Thread(this::destroyChildren, "l7demo-cleanup");

    public DemoSession(DemoOptions options, Path agentJar, PrintStream console) {
        this.options = options;
        this.agentJar = agentJar;
        this.console = console;
        Runtime.getRuntime().addShutdownHook(destroyHook);
    }

    /** @return the exit code: 0 when every checksum matched, 1 otherwise */
    public int run() throws IOException, InterruptedException {
        Path logDir = Files.createTempDirectory("l7demo-");
        console.printf("l7splice demo: %s bodies, %d measured runs per gateway; agent %s%n",
                Sizes.human(options.size), ModeRunner.RUNS, agentJar);
        console.println("child process logs: " + logDir);
        ChildProcess origin = start("origin", List.of(), "dev.l7splice.demo.origin.OriginServer",
                List.of("--port", "0"), logDir);
        console.println("origin on port " + origin.port());
        List<String> gatewayArgs = List.of("--port", "0", "--backend", "127.0.0.1:" + origin.port());
        ModeRunner runner = new ModeRunner(console, options.size);
        List<ModeResult> results = new ArrayList<>();
        List<ChildProcess> gateways = new ArrayList<>();
        String[] modes = {"gateway without agent", "gateway with agent"};
        for (String mode : modes) {
            boolean withAgent = mode.endsWith("with agent");
            List<String> jvmArgs = withAgent ? List.of("-javaagent:" + agentJar + "=log.level=info") : List.of();
            ChildProcess gateway = start(withAgent ? "gateway-agent" : "gateway-plain", jvmArgs,
                    "dev.l7splice.demo.gateway.Gateway", gatewayArgs, logDir);
            gateways.add(gateway);
            results.add(runner.measure(mode, gateway, withAgent));
            if (!options.keepRunning) {
                gateway.destroy(); // one gateway at a time keeps the 2nd measurement undisturbed
            }
        }
        console.println();
        console.print(ResultTable.render(results));
        results.stream().filter(r -> r.agentDetails() != null)
                .forEach(r -> console.println("agent totals incl. warm-up (" + r.mode() + "): " + r.agentDetails()));
        boolean allOk = results.stream().allMatch(ModeResult::checksumsOk);
        if (options.keepRunning) {
            printKeepRunning(origin, gateways);
            new CountDownLatch(1).await(); // until Ctrl-C; the shutdown hook stops the children
        }
        return allOk ? 0 : 1;
    }

    private ChildProcess start(String name, List<String> jvmArgs, String mainClass, List<String> args, Path logDir)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(DemoFiles.javaBinary());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(DemoFiles.classPath());
        command.add(mainClass);
        command.addAll(args);
        ChildProcess child = ChildProcess.start(name, command, logDir, READY_TIMEOUT);
        synchronized (children) {
            children.add(child);
        }
        return child;
    }

    private void printKeepRunning(ChildProcess origin, List<ChildProcess> gateways) {
        console.println();
        console.println("still running (Ctrl-C stops everything):");
        console.printf("  origin                 port %d%n", origin.port());
        console.printf("  gateway without agent  port %d%n", gateways.get(0).port());
        console.printf("  gateway with agent     port %d  (pid %d)%n", gateways.get(1).port(), gateways.get(1).pid());
        console.println("try:");
        for (ChildProcess g : gateways) {
            console.printf("  curl -s http://127.0.0.1:%d/bytes/1048576 | sha256sum%n", g.port());
        }
        console.printf("  curl -s -D - -o /dev/null http://127.0.0.1:%d/bytes/1048576%n", gateways.get(1).port());
        console.printf("  head -c 3000000 /dev/urandom | curl -s --data-binary @- http://127.0.0.1:%d/sink%n",
                gateways.get(1).port());
    }

    private void destroyChildren() {
        List<ChildProcess> copy;
        synchronized (children) {
            copy = new ArrayList<>(children);
            children.clear();
        }
        // Gateways first, the origin last, so no gateway logs a dead backend.
        for (int i = copy.size() - 1; i >= 0; i--) {
            copy.get(i).destroy();
        }
    }

    @Override
    public void close() {
        destroyChildren();
        try {
            Runtime.getRuntime().removeShutdownHook(destroyHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or has run
        }
    }
}
