package dev.l7splice.agent.runtime;

import dev.l7splice.kernel.PipePool;
import java.lang.management.ManagementFactory;
import java.util.stream.Collectors;
import javax.management.ObjectName;

/** The MBean behind {@link AgentStatsMBean}. */
public final class AgentStats implements AgentStatsMBean {

    static final String OBJECT_NAME = "dev.l7splice:type=Agent";

    private final AgentConfig config;
    private final Counters counters;
    private final PipePool pipes;

    private volatile java.util.function.IntSupplier relayActive = () -> 0;

    public AgentStats(AgentConfig config, Counters counters, PipePool pipes) {
        this.config = config;
        this.counters = counters;
        this.pipes = pipes;
    }

    /**
     * Registers with the platform MBean server from a daemon thread. Called on the first transfer
     * the agent sees, not at premain: creating the platform MBean server early initialises
     * java.util.logging before the application had a chance to configure it.
     */
    public void registerLater() {
        Thread t = new Thread(() -> {
            try {
                ManagementFactory.getPlatformMBeanServer().registerMBean(this, new ObjectName(OBJECT_NAME));
            } catch (javax.management.InstanceAlreadyExistsException e) {
                AgentLog.debug("an l7splice MBean is already registered in this JVM; keeping it");
            } catch (Exception | LinkageError e) {
                AgentLog.warn("JMX registration failed: " + e);
            }
        }, "l7splice-jmx");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public String getConfiguration() {
        return config.toString();
    }

    @Override
    public long getConnectionsOffloaded() {
        return counters.offloaded.sum();
    }

    @Override
    public long getBytesSpliced() {
        return counters.bytesSpliced.sum();
    }

    public void relayActive(java.util.function.IntSupplier supplier) {
        relayActive = supplier;
    }

    @Override
    public long getTransfersHandedOff() {
        return counters.handedOff.sum();
    }

    @Override
    public long getVirtualThreadTransfersRelayed() {
        return counters.relayedForVirtualThreads.sum();
    }

    @Override
    public long getBytesRelayedBySidecar() {
        return counters.bytesBySidecar.sum();
    }

    @Override
    public long getRelayFailures() {
        return counters.relayFailed.sum();
    }

    @Override
    public int getRelayActive() {
        return relayActive.getAsInt();
    }

    @Override
    public long getBytesCopied() {
        return counters.bytesCopied.sum();
    }

    @Override
    public long getFallbacks() {
        return counters.fallbacks().values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String getFallbacksByReason() {
        return counters.fallbacks().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    @Override
    public int getPipesOpen() {
        return pipes.open();
    }

    @Override
    public long getBytesSentFromFiles() {
        return counters.bytesFromFiles.sum();
    }
}
