package dev.l7splice.agent.core;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.util.Set;
import net.bytebuddy.asm.Advice;

/**
 * Target: {@code java.io.InputStream.transferTo(OutputStream)}, the default loop that the JDK's
 * socket streams inherit (they do not override it on 17, 21 or 25). The advice asks
 * {@link L7Dispatch} first; when the hook handled the call, the original loop is skipped and the
 * hook's count is returned. {@code java.io.InputStream} is already loaded when the agent starts,
 * so this retransforms it, without changing its shape.
 */
final class InputStreamTransferToInstrumentation {

    private InputStreamTransferToInstrumentation() {
    }

    /** Installs the advice; throws if the JVM refused the retransformation. */
    static void install(Instrumentation inst) {
        JdkRetransformer jdk = new JdkRetransformer();
        jdk.builder()
                .type(named("java.io.InputStream"))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(TransferToAdvice.class).on(named("transferTo")
                                .and(takesArguments(OutputStream.class)).and(returns(long.class)))))
                .installOn(inst);
        jdk.check(Set.of("java.io.InputStream"), "instrumenting InputStream.transferTo");
    }

    /** Inlined into InputStream.transferTo: may reference only bootstrap-visible classes. */
    static final class TransferToAdvice {

        private TransferToAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static long enter(@Advice.This InputStream in, @Advice.Argument(0) OutputStream out) throws IOException {
            return L7Dispatch.enterTransferTo(in, out);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter long handled, @Advice.Return(readOnly = false) long result) {
            if (handled != 0L) {
                result = handled - 1;
            }
        }
    }
}
