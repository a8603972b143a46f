package dev.l7splice.demo.run;

import dev.l7splice.demo.cli.Sizes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * One demo: origin, then a gateway without the agent and one with it per offload mode (the
 * sidecar mode with its relay process), a Spring Boot MVC proxy without and with the agent (when
 * demo-spring is built), a file server without and with it, the measurements, the table. Owns the child processes:
 * they are destroyed on {@link #close} and, should the JVM be stopped first (Ctrl-C), by a
 * shutdown hook. Used on the main thread; the hook may run on any thread.
 */
public final class DemoSession implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String RELAY_SOCKET = "relay.sock";

    private final DemoOptions options;
    private final Path agentJar;
    private final Path relayJar;
    private final PrintStream console;
    private final List<ChildProcess> children = new ArrayList<>();
    private final Thread destroyHook = new Thread(this::destroyChildren, "l7demo-cleanup");

    public DemoSession(DemoOptions options, Path agentJar, Path relayJar, PrintStream console) {
        this.options = options;
        this.agentJar = agentJar;
        this.relayJar = relayJar;
        this.console = console;
        Runtime.getRuntime().addShutdownHook(destroyHook);
    }

    /** @return the exit code: 0 when every checksum matched, 1 otherwise */
    public int run() throws IOException, InterruptedException {
        Path logDir = Files.createTempDirectory("l7demo-");
        Path relaySocket = logDir.resolve(RELAY_SOCKET);
        console.printf("l7splice demo: %s bodies, %d measured runs per gateway; agent %s; relay %s%n",
                Sizes.human(options.size), ModeRunner.RUNS, agentJar, relayJar);
        console.println("child process logs: " + logDir);
        ChildProcess origin = start("origin", List.of(), "dev.l7splice.demo.origin.OriginServer",
                List.of("--port", "0"), logDir);
        console.println("origin on port " + origin.port());
        List<String> gatewayArgs = List.of("--port", "0", "--backend", "127.0.0.1:" + origin.port());
        // The file server serves DIR/bytes/SIZE, written once (with its checksum) by the first one.
        List<String> fileServerArgs = List.of("--port", "0", "--dir", logDir.resolve("files").toString(),
                "--generate", Long.toString(options.size));
        ModeRunner runner = new ModeRunner(console, options.size);
        List<ModeResult> results = new ArrayList<>();
        Map<DemoMode, ChildProcess> gateways = new EnumMap<>(DemoMode.class);
        // The Spring app's own origin arguments; its jars come from demo-spring's build, never from l7demo.jar.
        List<String> springArgs = List.of("--port", "0", "--backend", "127.0.0.1:" + origin.port());
        Optional<SpringApp> spring = SpringApp.find(SpringApp.candidates());
        String springSkipped = spring.isPresent() ? null : SpringApp.whyMissing(SpringApp.candidates());
        if (springSkipped != null) {
            console.println("Spring MVC rows skipped: " + springSkipped);
        }
        ChildProcess relay = null;
        for (DemoMode mode : DemoMode.values()) {
            if (mode.springApp() && spring.isEmpty()) {
                continue;
            }
            ChildProcess modeRelay = null;
            if (mode.needsRelayProcess()) {
                relay = startRelay(relaySocket, logDir);
                modeRelay = relay;
            }
            List<String> jvmArgs = mode.withAgent() ? List.of(mode.javaagentOption(agentJar, relaySocket)) : List.of();
            ChildProcess gateway;
            if (mode.springApp()) {
                gateway = start(mode.processName, jvmArgs, spring.get().classPath(), SpringApp.MAIN_CLASS, springArgs, logDir);
            } else if (mode.fileServer()) {
                gateway = start(mode.processName, jvmArgs, "dev.l7splice.demo.files.FileServer", fileServerArgs, logDir);
            } else {
                gateway = start(mode.processName, jvmArgs, "dev.l7splice.demo.gateway.Gateway", gatewayArgs, logDir);
            }
            gateways.put(mode, gateway);
            results.add(runner.measure(mode, gateway, modeRelay));
            if (!options.keepRunning) {
                // One gateway (and relay) at a time keeps the next measurement undisturbed.
                gateway.destroy();
                if (modeRelay != null) {
                    modeRelay.destroy();
                }
            }
        }
        console.println();
        console.print(ResultTable.render(results));
        console.println("relay CPU: the sidecar process only; with agent inprocess the relay loop runs inside the"
                + " gateway's JVM, so its CPU is in the gateway column.");
        console.println("file server: com.sun.net.httpserver sending a file (the gateway CPU column is its CPU;"
                + " with the agent the bytes go out with sendfile(2), counted as BytesSentFromFiles).");
        console.println(springSkipped == null
                ? "Spring MVC: a Spring Boot 4 app on Tomcat 11 whose controller proxies the origin (HttpURLConnection into"
                        + " a StreamingResponseBody; the gateway CPU column is its CPU; agent offload=inline)."
                : "Spring MVC rows skipped: " + springSkipped);
        results.stream().filter(r -> r.agentDetails() != null)
                .forEach(r -> console.println("agent totals incl. warm-up (" + r.mode() + "): " + r.agentDetails()));
        boolean allOk = results.stream().allMatch(ModeResult::checksumsOk);
        allOk &= new BalancingDemo(starter(logDir), console).run(agentJar, relayJar, logDir);
        if (!options.keepRunning) {
            dev.l7splice.demo.TempDirs.delete(logDir.resolve("files")); // the body file (1 GiB by default); the logs stay
        }
        if (options.keepRunning) {
            printKeepRunning(origin, gateways, relay, relaySocket);
            new CountDownLatch(1).await(); // until Ctrl-C; the shutdown hook stops the children
        }
        return allOk ? 0 : 1;
    }

    /** Starts the demo's child processes (logs in one folder, all stopped with the session). */
    interface Starter {
        ChildProcess start(String name, List<String> jvmArgs, String mainClass, List<String> args)
                throws IOException, InterruptedException;

        /** {@code java -jar l7relay.jar ARGS}; its port is the admin port. */
        ChildProcess startRelay(String name, List<String> args) throws IOException, InterruptedException;
    }

    private Starter starter(Path logDir) {
        return new Starter() {
            @Override
            public ChildProcess start(String name, List<String> jvmArgs, String mainClass, List<String> args)
                    throws IOException, InterruptedException {
                return DemoSession.this.start(name, jvmArgs, mainClass, args, logDir);
            }

            @Override
            public ChildProcess startRelay(String name, List<String> args) throws IOException, InterruptedException {
                return DemoSession.this.startRelay(name, args, logDir);
            }
        };
    }

    /** {@code java -jar l7relay.jar --handoff-socket PATH --admin 127.0.0.1:0}; its port is the admin port. */
    private ChildProcess startRelay(Path socket, Path logDir) throws IOException, InterruptedException {
        return startRelay("relay", List.of("--handoff-socket", socket.toString(), "--admin", "127.0.0.1:0"), logDir);
    }

    private ChildProcess startRelay(String name, List<String> args, Path logDir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(DemoFiles.javaBinary(), "-jar", relayJar.toString()));
        command.addAll(args);
        ChildProcess relay = ChildProcess.start(name, command, logDir, READY_TIMEOUT, "admin");
        synchronized (children) {
            children.add(relay);
        }
        return relay;
    }

    private ChildProcess start(String name, List<String> jvmArgs, String mainClass, List<String> args, Path logDir)
            throws IOException, InterruptedException {
        return start(name, jvmArgs, DemoFiles.classPath(), mainClass, args, logDir);
    }

    private ChildProcess start(String name, List<String> jvmArgs, String classPath, String mainClass, List<String> args,
                               Path logDir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(DemoFiles.javaBinary());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        ChildProcess child = ChildProcess.start(name, command, logDir, READY_TIMEOUT);
        synchronized (children) {
            children.add(child);
        }
        return child;
    }

    private void printKeepRunning(ChildProcess origin, Map<DemoMode, ChildProcess> gateways, ChildProcess relay,
                                  Path relaySocket) {
        console.println();
        console.println("still running (Ctrl-C stops everything):");
        console.printf("  %-24s port %d%n", "origin", origin.port());
        gateways.forEach((mode, g) -> console.printf("  %-24s port %d  (pid %d)%n", "gateway " + mode.label, g.port(), g.pid()));
        if (relay != null) {
            console.printf("  %-24s admin port %d  (pid %d), hand-off socket %s%n", "sidecar relay", relay.port(),
                    relay.pid(), relaySocket);
        }
        console.println("try:");
        gateways.forEach((mode, g) -> console.printf("  curl -s http://127.0.0.1:%d%s | sha256sum%n", g.port(),
                mode.path(1048576)));
        ChildProcess inline = gateways.get(DemoMode.AGENT_INLINE);
        if (inline != null) {
            console.printf("  curl -s -D - -o /dev/null http://127.0.0.1:%d/bytes/1048576%n", inline.port());
            console.printf("  head -c 3000000 /dev/urandom | curl -s --data-binary @- http://127.0.0.1:%d/sink%n",
                    inline.port());
        }
        if (relay != null) {
            console.printf("  curl -s http://127.0.0.1:%d/metrics | grep ^l7relay_spliced_bytes%n", relay.port());
        }
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
