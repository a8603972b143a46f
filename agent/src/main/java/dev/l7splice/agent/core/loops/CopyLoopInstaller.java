package dev.l7splice.agent.core.loops;

import dev.l7splice.agent.core.AgentConfig;
import dev.l7splice.agent.core.AgentLog;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;

/**
 * Installs the copy-loop transformer (toggle {@code copy-loop}) for classes defined from now on.
 * Before that it runs the rewriter once on one of its own class files, so the ASM classes are
 * loaded on the installer's thread, not first inside some application class's definition.
 */
public final class CopyLoopInstaller {

    private CopyLoopInstaller() {
    }

    public static void install(Instrumentation inst, AgentConfig config) {
        if (!config.instrumentationEnabled("copy-loop")) {
            return;
        }
        try (InputStream self = CopyLoopInstaller.class.getResourceAsStream("CopyLoopTransformer.class")) {
            CopyLoopRewriter.rewrite(self.readAllBytes(), () -> "warm-up");
            LoopReport report = config.report ? new LoopReport(System.err) : null;
            // Inline: the hook returns when the body is through, with its count. Hand-off modes
            // return earlier, so loops that count bytes keep their own code there.
            inst.addTransformer(new CopyLoopTransformer(report, config.offload.equals("inline")), false);
        } catch (Throwable t) {
            AgentLog.warn("hand-written copy loops keep their own code: " + t);
        }
    }
}
