package dev.l7splice.agent.instrument.targets;

import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.Target;
import dev.l7splice.agent.instrument.loops.CopyLoopInstaller;

/** Hand-written read/write loops in application classes ({@code instrument.loops}). */
public final class CopyLoopInstrumentation extends Target {

    public CopyLoopInstrumentation() {
        super("copy-loop", Phase.LOOPS);
    }

    @Override
    public void install(Installation at) {
        CopyLoopInstaller.install(at.inst, at.config, at.counters);
    }
}
