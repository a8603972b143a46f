package dev.l7splice.agent.instrument.targets;

import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.Target;

/** Tomcat servlet response bodies as sinks ({@code CoyoteOutputStream}, NIO, HTTP/1.1, plain; {@code ends.TomcatSink}). */
public final class TomcatInstrumentation extends Target {

    public TomcatInstrumentation() {
        super("tomcat", Phase.ENDS);
    }

    @Override
    public void install(Installation at) {
        at.ends.enable(name());
    }
}
