package dev.l7splice.agent.runtime;

import java.util.HashSet;
import java.util.Set;

/**
 * The sinks and sources that are switched on: each end's instrumentation enables itself here by its
 * name (before the transfer hook is built), and the hook asks for each end by the same name.
 */
public final class EndSwitches {

    private final Set<String> on = new HashSet<>();

    public void enable(String name) {
        on.add(name);
    }

    public boolean on(String name) {
        return on.contains(name);
    }
}
