package dev.l7splice.it.tomcat;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The agent's counters in this JVM, read from its own MBean server (zeros before the agent registered it). */
public final class AgentMBean {

    /** Requests the app's servlets handled on a virtual thread (they call {@link #noteRequest}). */
    private static final java.util.concurrent.atomic.AtomicLong VIRTUAL = new java.util.concurrent.atomic.AtomicLong();

    private AgentMBean() {
    }

    /** Called at the start of each request: counts those on virtual threads. */
    public static void noteRequest() {
        if (dev.l7splice.demo.VirtualThreads.current()) {
            VIRTUAL.incrementAndGet();
        }
    }

    /** True when the app was asked to run its request handlers on virtual threads ({@code -Dl7it.threads=virtual}). */
    public static boolean virtualThreadsWanted() {
        return "virtual".equals(System.getProperty("l7it.threads"));
    }

    /** "files=N spliced=N copied=N fallbacks=[...] virtual=N". */
    public static String line() {
        return counters() + " virtual=" + VIRTUAL.get();
    }

    private static String counters() {
        try {
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("dev.l7splice:type=Agent");
            if (!mbs.isRegistered(name)) {
                return "files=0 spliced=0 copied=0 relayed=0 fallbacks=[]";
            }
            return "files=" + mbs.getAttribute(name, "BytesSentFromFiles") + " spliced=" + mbs.getAttribute(name, "BytesSpliced")
                    + " copied=" + mbs.getAttribute(name, "BytesCopied")
                    + " relayed=" + mbs.getAttribute(name, "VirtualThreadTransfersRelayed")
                    + " fallbacks=[" + mbs.getAttribute(name, "FallbacksByReason") + "]";
        } catch (Exception e) {
            return "error=" + e;
        }
    }
}
