package dev.l7splice.it.support;

import dev.l7splice.demo.JmxStats;
import java.time.Duration;
import java.util.Map;

/** The agent's counters in another JVM, read through JMX (the MBean dev.l7splice:type=Agent). */
public final class AgentCounters {

    public final long offloaded;
    public final long bytesSpliced;
    public final long bytesCopied;
    public final long bytesBySidecar;
    public final long handedOff;
    public final long relayFailures;
    /** Virtual threads' transfers the in-process relay moved while they parked (no poller to park on). */
    public final long virtualRelayed;
    public final long fallbacks;
    public final String fallbacksByReason;

    private AgentCounters(Map<String, Object> m) {
        offloaded = (Long) m.get("ConnectionsOffloaded");
        bytesSpliced = (Long) m.get("BytesSpliced");
        bytesCopied = (Long) m.get("BytesCopied");
        bytesBySidecar = (Long) m.get("BytesRelayedBySidecar");
        handedOff = (Long) m.get("TransfersHandedOff");
        relayFailures = (Long) m.get("RelayFailures");
        virtualRelayed = (Long) m.get("VirtualThreadTransfersRelayed");
        fallbacks = (Long) m.get("Fallbacks");
        fallbacksByReason = (String) m.get("FallbacksByReason");
    }

    public static AgentCounters of(long pid) {
        return new AgentCounters(JmxStats.await(pid, Duration.ofSeconds(20)));
    }

    @Override
    public String toString() {
        return "offloaded=" + offloaded + " handedOff=" + handedOff + " bySidecar=" + bytesBySidecar
                + " virtualRelayed=" + virtualRelayed + " spliced=" + bytesSpliced + " copied=" + bytesCopied
                + " fallbacks=" + fallbacks + " [" + fallbacksByReason + "]";
    }
}
