package dev.l7splice.it.tomcat;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The agent's counters in this JVM, read from its own MBean server (zeros before the agent registered it). */
public final class AgentMBean {

    private AgentMBean() {
    }

    /** "files=N spliced=N copied=N fallbacks=[...]". */
    public static String line() {
        try {
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("dev.l7splice:type=Agent");
            if (!mbs.isRegistered(name)) {
                return "files=0 spliced=0 copied=0 fallbacks=[]";
            }
            return "files=" + mbs.getAttribute(name, "BytesSentFromFiles") + " spliced=" + mbs.getAttribute(name, "BytesSpliced")
                    + " copied=" + mbs.getAttribute(name, "BytesCopied")
                    + " fallbacks=[" + mbs.getAttribute(name, "FallbacksByReason") + "]";
        } catch (Exception e) {
            return "error=" + e;
        }
    }
}
