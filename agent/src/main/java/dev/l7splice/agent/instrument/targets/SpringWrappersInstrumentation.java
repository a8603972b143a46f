package dev.l7splice.agent.instrument.targets;

import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.Target;

/** Spring's pass-through stream wrappers over a server's response stream, looked through ({@code ends.PassThroughStreams}). */
public final class SpringWrappersInstrumentation extends Target {

    public SpringWrappersInstrumentation() {
        super("spring-wrappers", Phase.ENDS);
    }

    @Override
    public void install(Installation at) {
        at.ends.enable(name());
    }
}
