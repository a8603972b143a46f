package dev.l7splice.agent.ends;

/**
 * Where an end's resolver says why it will not take a stream (the reason is counted and named once
 * at debug level by the caller). Keeps this package free of the agent's counters and logger.
 */
@FunctionalInterface
public interface Refusals {

    /** {@code reason} is a short stable key ("tomcat-tls"); {@code detail} says more, for the debug line only. */
    void refuse(String reason, String detail);
}
