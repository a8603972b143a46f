package dev.l7splice.agent.install;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.SocketHandoffInstrumentation;
import dev.l7splice.agent.instrument.Target;
import dev.l7splice.agent.instrument.targets.Instrumentations;
import dev.l7splice.agent.relay.Handoffs;
import dev.l7splice.agent.relay.InProcessRelay;
import dev.l7splice.agent.relay.Offload;
import dev.l7splice.agent.relay.SidecarRelay;
import dev.l7splice.agent.relay.SocketRouteHook;
import dev.l7splice.agent.runtime.AgentConfig;
import dev.l7splice.agent.runtime.AgentLog;
import dev.l7splice.agent.runtime.AgentStats;
import dev.l7splice.agent.runtime.Counters;
import dev.l7splice.agent.runtime.JdkSockets;
import dev.l7splice.agent.transfer.SocketTransferHook;
import dev.l7splice.engine.EngineLog;
import dev.l7splice.kernel.PipePool;
import dev.l7splice.kernel.nativeio.LinuxIo;
import dev.l7splice.kernel.nativeio.Readiness;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Startup checks first, then install. Loaded by the agent's own class loader. Every failure ends
 * here with the agent off and the application running its own code: a bad configuration says so
 * on one stderr line, anything else at warn or debug level.
 */
public final class AgentInstaller {

    private AgentInstaller() {
    }

    public static void install(String agentArgs, Instrumentation inst, File agentJar) {
        StartupTimes times = new StartupTimes();
        AgentConfig config;
        try {
            config = AgentConfig.load(agentArgs, System.getenv(), System.getProperties(), Instrumentations.ALL);
        } catch (AgentConfig.ConfigException e) {
            System.err.println("l7splice: bad configuration, agent off: " + e.getMessage());
            return;
        }
        AgentLog.setLevel(config.logLevel);
        EngineLog.bind(new EngineLogToAgentLog()); // the relay loop's lines obey log.level too
        times.step("config");
        if (!config.enabled) {
            AgentLog.info("disabled by configuration (enabled=false); the JDK's code runs unchanged");
            return;
        }
        NativeAccess.grant(inst, LinuxIo.class.getModule()); // before LinuxIo loads its library (Java 24+)
        String unavailable = LinuxIo.unavailableReason();
        times.step("native library");
        if (unavailable != null) {
            AgentLog.debug("kernel paths unavailable: " + unavailable + "; the JDK's code runs unchanged");
            return;
        }
        try {
            openJdkPackages(inst);
            JdkSockets.init();
            times.step("socket internals");
            Counters counters = new Counters();
            PipePool pipes = new PipePool(config.pipeSize, config.pipesMax);
            AgentStats stats = new AgentStats(config, counters, pipes);
            times.step("counters and pipes");
            Installation at = new Installation(inst, config, counters);
            Offload relay = null;
            InProcessRelay inProcess = null;
            if (!config.offload.equals("inline")) {
                Handoffs handoffs = new Handoffs(JdkSockets::fdOf);
                InProcessRelay.Listener listener = (id, bytes, failure) -> {
                    if (failure != null) {
                        counters.relayFailed.increment();
                        AgentLog.debug("transfer #" + id + " failed after " + bytes + " bytes: " + failure.getMessage());
                    } else {
                        AgentLog.debug("transfer #" + id + " done: " + bytes + " bytes");
                    }
                    if (config.offload.equals("sidecar") && bytes > 0) {
                        counters.bytesBySidecar.add(bytes);
                    }
                };
                if (config.offload.equals("sidecar")) {
                    SidecarRelay sidecar = new SidecarRelay(config.relaySocket, handoffs, listener);
                    at.sidecar = sidecar;
                    at.run(Instrumentations.ALL, Target.Phase.ROUTES); // connect-route
                    L7Dispatch.install(new SocketRouteHook(sidecar));
                    relay = sidecar;
                } else {
                    relay = inProcess = new InProcessRelay(pipes, config.relayThreads, config.relayIdleTimeoutMillis,
                            counters.bytesSpliced::add, handoffs, listener);
                }
                stats.relayActive(relay::active);
                L7Dispatch.install(handoffs);
                SocketHandoffInstrumentation.install(inst);
            }
            if (config.virtualThreadsPoller.equals("off")) {
                Readiness.disable("virtual-threads.poller=off");
            }
            if (inProcess == null) {
                // For virtual threads that cannot park on the JDK's poller (offload=inline or sidecar);
                // its loop starts on first use. Its Handoffs is never consulted: the thread waits.
                inProcess = new InProcessRelay(pipes, config.relayThreads, 0, new VirtualRelayEnd(counters),
                        new Handoffs(new VirtualRelayEnd(counters)), new VirtualRelayEnd(counters));
            }
            times.step("relay");
            at.run(Instrumentations.ALL, Target.Phase.ENDS); // sinks and sources: before the hook is built
            L7Dispatch.install(dev.l7splice.agent.jfr.AgentEvents.recording( // JFR events, when recorded
                    new SocketTransferHook(config, at.ends, counters, pipes, stats, relay, inProcess), config.offload));
            times.step("transfer hook");
            at.run(Instrumentations.ALL, Target.Phase.JDK); // transfer-to
            times.step("transfer-to");
            at.run(Instrumentations.ALL, Target.Phase.LIBRARIES); // commons-io, guava, spring, api
            at.weaveLibraries(); // those and httpclient's: one transformer, by name
            times.step("library hooks");
            at.run(Instrumentations.ALL, Target.Phase.LOOPS); // copy-loop
            times.step("copy-loop");
            Runtime.getRuntime().addShutdownHook(new Thread(new ExitLine(counters), "l7splice-exit"));
            TransferClasses.preloadInBackground(agentJar);
            AgentLog.info("installed from " + agentJar.getName() + ": " + config);
            AgentLog.debug(times.summary());
        } catch (Throwable t) {
            L7Dispatch.install((dev.l7splice.agent.bootstrap.TransferHook) null);
            L7Dispatch.install((dev.l7splice.agent.bootstrap.SocketHook) null);
            L7Dispatch.install((dev.l7splice.agent.bootstrap.ConnectHook) null);
            L7Dispatch.install((dev.l7splice.agent.bootstrap.RouteHook) null);
            AgentLog.warn("agent off, the JDK's code runs unchanged: " + t);
        }
    }

    /**
     * The relay for virtual threads' callbacks: spliced bytes counted, sockets' fds, and the hand-off
     * listener, which this relay never calls (each waiting thread has its own). A class rather than
     * lambdas: nothing more to link at start-up with offload=inline.
     */
    private static final class VirtualRelayEnd implements InProcessRelay.Listener, java.util.function.LongConsumer,
            java.util.function.ToIntFunction<java.net.Socket> {
        private final Counters counters;

        VirtualRelayEnd(Counters counters) {
            this.counters = counters;
        }

        @Override
        public void ended(long id, long bytes, java.io.IOException failure) {
            // only hand-offs report here, and this relay gets none
        }

        @Override
        public void accept(long spliced) {
            counters.bytesSpliced.add(spliced);
        }

        @Override
        public int applyAsInt(java.net.Socket s) {
            return JdkSockets.fdOf(s);
        }
    }

    /** The counters at exit, at info level. A class rather than a lambda: no lambda on the inline path's start-up. */
    private static final class ExitLine implements Runnable {
        private final Counters counters;

        ExitLine(Counters counters) {
            this.counters = counters;
        }

        @Override
        public void run() {
            AgentLog.info("at exit: " + counters.summary());
        }
    }

    /** Lets the agent's module read the socket and stream internals, with no flags from the user. */
    private static void openJdkPackages(Instrumentation inst) {
        Module base = Object.class.getModule();
        Module self = AgentInstaller.class.getModule();
        inst.redefineModule(base, Set.of(), Map.of(),
                Map.of("java.net", Set.of(self), "java.io", Set.of(self),
                        // socket internals, and the poller virtual threads park on (nativeio.Readiness)
                        "sun.nio.ch", new java.util.HashSet<>(java.util.List.of(self, LinuxIo.class.getModule())),
                        // HttpURLConnection response bodies (UrlConnectionSource)
                        "sun.net.www", Set.of(self), "sun.net.www.http", Set.of(self),
                        "sun.net.www.protocol.http", Set.of(self)), Set.of(), Map.of());
        // com.sun.net.httpserver response bodies (HttpServerSink): only the module, never a class of it.
        // No lambda (start-up cost, bench/startup).
        Module httpServer = ModuleLayer.boot().findModule("jdk.httpserver").orElse(null);
        if (httpServer != null) {
            inst.redefineModule(httpServer, Set.of(), Map.of(), Map.of("sun.net.httpserver", Set.of(self)), Set.of(),
                    Map.of());
        }
    }
}
