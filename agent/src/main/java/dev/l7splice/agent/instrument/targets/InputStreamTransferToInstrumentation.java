package dev.l7splice.agent.instrument.targets;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.JdkRetransformer;
import dev.l7splice.agent.instrument.MethodHook;
import dev.l7splice.agent.instrument.Target;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;

/**
 * Target: {@code java.io.InputStream.transferTo(OutputStream)}, the default loop that the JDK's
 * socket streams inherit (they do not override it on 17, 21 or 25). The prologue asks
 * {@link L7Dispatch#enterTransferTo} first; when the hook handled the call, the original loop is
 * skipped and the hook's count is returned. {@code java.io.InputStream} is already loaded when the
 * agent starts, so this retransforms it, without changing its shape.
 */
public final class InputStreamTransferToInstrumentation extends Target {

    public static final MethodHook TRANSFER_TO = MethodHook.dispatch("transferTo", "(Ljava/io/OutputStream;)J",
            "enterTransferTo", "(Ljava/io/InputStream;Ljava/io/OutputStream;)J", MethodHook.Outcome.RETURN_COUNT,
            "this", "0");

    public InputStreamTransferToInstrumentation() {
        super("transfer-to", Phase.JDK);
    }

    @Override
    public void install(Installation at) throws Exception {
        install(at.inst);
    }

    /** Installs the prologue; throws if the JVM refused the retransformation. */
    private static void install(Instrumentation inst) throws Exception {
        JdkRetransformer.install(inst, Map.of("java/io/InputStream", List.of(TRANSFER_TO)),
                "instrumenting InputStream.transferTo");
    }
}
