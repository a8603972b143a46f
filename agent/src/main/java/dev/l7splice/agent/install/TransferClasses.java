package dev.l7splice.agent.install;

import dev.l7splice.agent.runtime.AgentLog;
import java.io.File;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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

    /**
     * What an instrumented {@code jdk.jfr.Event} subclass's {@code commit()} resolves through the
     * event's loader (Java 21 and 25), which its class file does not name: JFR adds those calls when
     * a recording asks for the event. A virtual thread's first commit once pinned 3.8 ms resolving
     * one of them while another thread held that name's loading lock (HelidonPinningIT).
     */
    private static final List<String> JFR_INJECTED = List.of("jdk.jfr.internal.event.EventConfiguration",
            "jdk.jfr.internal.event.EventWriter", "jdk.jfr.FlightRecorder");

    /** Loads and initialises every class of the transfer path in the agent jar; returns how many did. */
    static int preload(File agentJar) {
        ClassLoader loader = TransferClasses.class.getClassLoader();
        int loaded = 0;
        List<String> own = names(agentJar);
        List<String> all = new ArrayList<>(own);
        all.addAll(JDK);
        for (String name : all) {
            try {
                Class.forName(name, true, loader);
                loaded++;
            } catch (Throwable t) {
                // e.g. JFR's classes in a JVM without jdk.jfr: that class is never used then
            }
        }
        // Every class those classes name, looked up once through this loader, not initialised: the
        // JVM then knows this loader's answer, and the first instruction that names the class on an
        // application's (virtual) thread resolves it without calling into the loader, whose lock
        // would pin it while another thread holds it.
        Set<String> referenced = new LinkedHashSet<>(referencedBy(agentJar, own));
        referenced.addAll(JFR_INJECTED);
        referenced.removeAll(all);
        for (String name : referenced) {
            try {
                Class.forName(name, false, loader);
                loaded++;
            } catch (Throwable t) {
                // a class of a later JDK (Thread.Builder on 17), or of a module this runtime lacks
            }
        }
        dev.l7splice.kernel.nativeio.Readiness.warmVirtualWait();
        dev.l7splice.kernel.PipePool.warmLinkage();
        return loaded;
    }

    /** The classes the constant pools of {@code own} (classes of the jar's l7inst/ folder) name, in order, with repeats. */
    static List<String> referencedBy(File agentJar, List<String> own) {
        List<String> out = new ArrayList<>();
        try (JarFile jar = new JarFile(agentJar)) {
            for (String name : own) {
                JarEntry e = jar.getJarEntry(ROOT + name.replace('.', '/') + ".class");
                if (e != null) {
                    try (InputStream in = jar.getInputStream(e)) {
                        out.addAll(ConstantPoolClasses.of(in.readAllBytes()));
                    }
                }
            }
        } catch (Exception e) {
            AgentLog.debug("preloading the referenced classes skipped: " + e);
        }
        return out;
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
