package dev.l7splice.agent.instrument.targets;

import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.Target;

/** Helidon 4 SE HTTP/1.1 response bodies as sinks ({@code ends.HelidonSink}), and Helidon WebClient bodies as sources. */
public final class HelidonInstrumentation extends Target {

    public HelidonInstrumentation() {
        super("helidon", Phase.ENDS);
    }

    @Override
    public void install(Installation at) {
        at.ends.enable(name());
    }
}
