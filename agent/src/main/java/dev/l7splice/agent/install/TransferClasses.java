package dev.l7splice.agent.install;

import dev.l7splice.agent.runtime.AgentLog;
import java.io.File;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads and initialises the agent's transfer-path classes (ends, engines, relays, JFR events) right
 * after start, on a daemon thread, so that no application thread loads or initialises one during a
 * transfer. Both take a lock and run through native frames: a virtual thread that meets another
 * thread's class loading or static initialiser stays pinned to its carrier, and a burst of first
 * transfers on virtual threads met them dozens of times. None of these initialisers depends on
 * more than what the installer set up before it starts this. Runs in the agent's class loader;
 * failures are ignored (the class then loads, and fails, where it is used).
 */
final class TransferClasses {

    private static final String ROOT = "l7inst/";
    /** The agent's own transfer path, and the relay engine and kernel I/O modules shaded in with it. */
    private static final List<String> PACKAGES = List.of("dev/l7splice/agent/install/", "dev/l7splice/agent/runtime/",
            "dev/l7splice/agent/instrument/", "dev/l7splice/agent/sources/", "dev/l7splice/agent/transfer/",
            "dev/l7splice/agent/jfr/", "dev/l7splice/agent/ends/", "dev/l7splice/agent/sinks/",
            "dev/l7splice/agent/relay/", "dev/l7splice/engine/", "dev/l7splice/kernel/");

    /**
     * JDK classes that only the agent's waits use on many applications' threads: loaded by the first
     * thread that waits, and a virtual thread pins while another loads them.
     */
    private static final List<String> JDK = List.of("java.util.concurrent.CompletableFuture$Signaller",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionNode",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer$ExclusiveNode",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject",
            "java.util.concurrent.locks.ReentrantLock$NonfairSync", "java.util.IdentityHashMap$KeySet",
            "java.io.InterruptedIOException", "java.net.SocketTimeoutException",
            "java.util.concurrent.TimeoutException", "java.util.concurrent.ExecutionException"); // ParkedRelay

    private TransferClasses() {
    }

    static void preloadInBackground(File agentJar) {
        Thread t = new Thread(() -> preload(agentJar), "l7splice-preload");
        t.setDaemon(true);
        t.start();
    }

    /** Loads and initialises every class of the transfer path in the agent jar; returns how many did. */
    static int preload(File agentJar) {
        ClassLoader loader = TransferClasses.class.getClassLoader();
        int loaded = 0;
        List<String> all = new ArrayList<>(names(agentJar));
        all.addAll(JDK);
        for (String name : all) {
            try {
                Class.forName(name, true, loader);
                loaded++;
            } catch (Throwable t) {
                // e.g. JFR's classes in a JVM without jdk.jfr: that class is never used then
            }
        }
        dev.l7splice.kernel.nativeio.Readiness.warmVirtualWait();
        dev.l7splice.kernel.PipePool.warmLinkage();
        return loaded;
    }

    static List<String> names(File agentJar) {
        List<String> out = new ArrayList<>();
        try (JarFile jar = new JarFile(agentJar)) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String n = e.nextElement().getName();
                if (n.startsWith(ROOT) && n.endsWith(".class") && !n.contains("/loops/")
                        && PACKAGES.stream().anyMatch(p -> n.startsWith(ROOT + p))) {
                    out.add(n.substring(ROOT.length(), n.length() - ".class".length()).replace('/', '.'));
                }
            }
        } catch (Exception e) {
            AgentLog.debug("preloading skipped: " + e);
        }
        return out;
    }
}
