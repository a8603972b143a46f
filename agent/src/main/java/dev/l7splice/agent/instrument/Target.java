package dev.l7splice.agent.instrument;

import dev.l7splice.agent.runtime.Switch;

/**
 * One switchable target of the agent: it names itself (its key is {@code instrumentation.<name>.enabled}),
 * says its default, and installs itself when that key is true. The installer runs the list
 * ({@code instrument.targets.Instrumentations.ALL}) once per {@link Phase}, in the order the phases
 * are listed here.
 */
public abstract class Target implements Switch {

    /** When in the installer's sequence a target installs itself. */
    public enum Phase {
        /** {@code offload=sidecar} only, once the sidecar client exists ({@link Installation#sidecar}). */
        ROUTES,
        /** Sinks and sources: enabled in {@link Installation#ends} before the transfer hook is built. */
        ENDS,
        /** JDK classes retransformed once the transfer hook is published. */
        JDK,
        /** Library classes, woven by name through the one {@link AppClassInstrumentations} transformer. */
        LIBRARIES,
        /** The copy-loop pass. */
        LOOPS
    }

    private final String name;
    private final Phase phase;

    protected Target(String name, Phase phase) {
        this.name = name;
        this.phase = phase;
    }

    @Override
    public final String name() {
        return name;
    }

    public final Phase phase() {
        return phase;
    }

    @Override
    public boolean enabledByDefault() {
        return true;
    }

    /** Installs this target; called only when its key is true, during its {@link #phase()}. */
    public abstract void install(Installation at) throws Exception;
}
