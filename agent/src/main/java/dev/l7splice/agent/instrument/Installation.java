package dev.l7splice.agent.instrument;

import dev.l7splice.agent.relay.SidecarRelay;
import dev.l7splice.agent.runtime.AgentConfig;
import dev.l7splice.agent.runtime.Counters;
import dev.l7splice.agent.runtime.EndSwitches;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a {@link Target} installs itself into: the JVM's instrumentation, the config, the ends' switches. */
public final class Installation {

    public final Instrumentation inst;
    public final AgentConfig config;
    public final Counters counters;
    public final EndSwitches ends = new EndSwitches();
    /** The sidecar client, set before the {@link Target.Phase#ROUTES} phase ({@code offload=sidecar}). */
    public SidecarRelay sidecar;
    /** Library classes to weave by name (dotted name to hooks), installed by {@link #weaveLibraries()}. */
    private final Map<String, List<MethodHook>> byName = new HashMap<>();

    public Installation(Instrumentation inst, AgentConfig config, Counters counters) {
        this.inst = inst;
        this.config = config;
        this.counters = counters;
    }

    /** Installs every target of {@code phase} whose key is true, in list order. Plain loop: no lambda at start-up. */
    public void run(List<? extends Target> targets, Target.Phase phase) throws Exception {
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            if (t.phase() == phase && config.instrumentationEnabled(t.name())) {
                t.install(this);
            }
        }
    }

    /** Weaves {@code hooks} into the library class {@code className} (dotted) as its loader defines it. */
    public void weaveByName(String className, List<MethodHook> hooks) {
        byName.put(className, hooks);
    }

    /** Adds the one transformer for every library class named so far (nothing when none is). */
    public void weaveLibraries() {
        AppClassInstrumentations.install(inst, byName);
    }
}
