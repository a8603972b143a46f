package dev.l7splice.agent.runtime;

/**
 * A part of the agent that can be switched off on its own, as the configuration sees it: its key is
 * {@code instrumentation.<name>.enabled}. {@link AgentConfig#load} accepts exactly the keys of the
 * switches it is given and rejects any other {@code instrumentation.*} key.
 */
public interface Switch {

    /** The {@code <name>} in {@code instrumentation.<name>.enabled}. */
    String name();

    /** The key's default. */
    boolean enabledByDefault();
}
