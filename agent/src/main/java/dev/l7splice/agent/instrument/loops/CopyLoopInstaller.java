package dev.l7splice.agent.instrument.loops;

import dev.l7splice.agent.runtime.AgentConfig;
import dev.l7splice.agent.runtime.AgentLog;
import dev.l7splice.agent.runtime.Counters;
import java.lang.instrument.Instrumentation;

/**
 * Installs the copy-loop transformer (toggle {@code copy-loop}) for classes defined from now on.
 * Nothing is warmed up here: the ASM tree classes load (from the agent's own loader, which never
 * waits on an application loader) on the first class whose constant pool passes the transformer's
 * cheap check, so a JVM with no candidate class never pays for them.
 */
public final class CopyLoopInstaller {

    private CopyLoopInstaller() {
    }

    public static void install(Instrumentation inst, AgentConfig config, Counters counters) {
        try {
            LoopReport report = config.report ? new LoopReport(System.err) : null;
            // Inline: the hook returns when the body is through, with its count. Hand-off modes
            // return earlier, so loops that count bytes keep their own code there.
            inst.addTransformer(new CopyLoopTransformer(report, config.offload.equals("inline"), counters), false);
        } catch (Throwable t) {
            AgentLog.warn("hand-written copy loops keep their own code: " + t);
        }
    }
}
