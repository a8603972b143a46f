package dev.l7splice.agent.instrument.targets;

import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.Target;

/** Jetty 12 ee10/ee11 servlet response bodies as sinks ({@code HttpOutput}, blocking, HTTP/1.1, plain; {@code ends.JettySink}). */
public final class JettyInstrumentation extends Target {

    public JettyInstrumentation() {
        super("jetty", Phase.ENDS);
    }

    @Override
    public void install(Installation at) {
        at.ends.enable(name());
    }
}
