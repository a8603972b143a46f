package dev.l7splice.demo.run;

/**
 * The servers the demo compares, in the order it runs them: the legacy gateway without the agent
 * and in each offload mode, a Spring Boot MVC proxy controller without and with it, then the file
 * server built on com.sun.net.httpserver without and with it.
 */
enum DemoMode {

    WITHOUT_AGENT("without agent", "gateway-plain", null, null),
    AGENT_INLINE("agent inline", "gateway-inline", "inline", "BytesSpliced"),
    AGENT_INPROCESS("agent inprocess", "gateway-inprocess", "inprocess", "BytesSpliced"),
    AGENT_SIDECAR("agent sidecar", "gateway-sidecar", "sidecar", "BytesRelayedBySidecar"),
    SPRING_WITHOUT_AGENT("Spring MVC, no agent", "spring-plain", null, null),
    SPRING_AGENT("Spring MVC + agent", "spring-agent", "inline", "BytesSpliced"),
    FILES_WITHOUT_AGENT("file server, no agent", "fileserver-plain", null, null),
    FILES_AGENT("file server + agent", "fileserver-agent", "inline", "BytesSentFromFiles");

    /** The row label in the table. */
    final String label;
    /** The child's name: its log files are {@code <name>.out} and {@code <name>.err}. */
    final String processName;
    /** The agent's {@code offload=} value, null without the agent. */
    final String offload;
    /** The MBean attribute shown as "bytes spliced", null without the agent. */
    final String splicedAttribute;

    DemoMode(String label, String processName, String offload, String splicedAttribute) {
        this.label = label;
        this.processName = processName;
        this.offload = offload;
        this.splicedAttribute = splicedAttribute;
    }

    boolean withAgent() {
        return offload != null;
    }

    /** The body leaves the application thread: the agent's counters follow the client by a little. */
    boolean handsOff() {
        return withAgent() && !offload.equals("inline");
    }

    /** The com.sun.net.httpserver file server (sendfile) instead of the gateway (splice). */
    boolean fileServer() {
        return this == FILES_WITHOUT_AGENT || this == FILES_AGENT;
    }

    /** The Spring Boot app of module demo-spring ({@link SpringApp}), started from its own class path. */
    boolean springApp() {
        return this == SPRING_WITHOUT_AGENT || this == SPRING_AGENT;
    }

    /** The request path for a body of {@code size} bytes: the Spring app proxies it under /proxy/. */
    String path(long size) {
        return (springApp() ? "/proxy/" : "/bytes/") + size;
    }

    boolean needsRelayProcess() {
        return this == AGENT_SIDECAR;
    }

    /** The {@code -javaagent:} option for this mode; {@code relaySocket} is used by the sidecar only. */
    String javaagentOption(java.nio.file.Path agentJar, java.nio.file.Path relaySocket) {
        String args = "offload=" + offload + ",log.level=info";
        if (needsRelayProcess()) {
            args += ",relay.socket=" + relaySocket;
        }
        return "-javaagent:" + agentJar + "=" + args;
    }
}
