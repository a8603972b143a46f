package dev.l7splice.agent.runtime;

/** JMX view of the agent, registered as {@code dev.l7splice:type=Agent}. */
public interface AgentStatsMBean {

    /** The effective configuration, as one line. */
    String getConfiguration();

    /** Transfers that moved (part of) their body in the kernel. */
    long getConnectionsOffloaded();

    long getBytesSpliced();

    /** Transfers handed to a relay (offload=inprocess); each is also counted as offloaded. */
    long getTransfersHandedOff();

    /**
     * Virtual threads' transfers moved by the in-process relay while the thread parked, because it
     * could not park on the JDK's poller (virtual-threads.poller=off, none, or it failed); each is
     * also counted as offloaded, not as handed off.
     */
    long getVirtualThreadTransfersRelayed();

    /** Relayed transfers that ended in an error (both sockets were then closed). */
    long getRelayFailures();

    /** Bytes the sidecar reported delivered for transfers this JVM handed it (prefixes included). */
    long getBytesRelayedBySidecar();

    /** Relayed transfers in flight right now. */
    int getRelayActive();

    /** Bytes the agent wrote from user space: buffered prefixes and bodies below splice.min-bytes. */
    long getBytesCopied();

    /** Total of all fallbacks to the JDK's own code, every reason. */
    long getFallbacks();

    /** Fallbacks by reason, as {@code reason=count} pairs separated by spaces. */
    String getFallbacksByReason();

    /** Pipes currently open (in use or pooled). */
    int getPipesOpen();

    /** Bytes sent from files to sockets with sendfile(2). */
    long getBytesSentFromFiles();
}
