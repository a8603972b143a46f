package dev.l7splice.agent.core;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

/**
 * Target: Guava {@code com.google.common.io.ByteStreams.copy(InputStream, OutputStream)}, a plain
 * read/write loop returning the long count (neither flushes nor closes). The channel overload is
 * left alone.
 */
final class GuavaCopyInstrumentation {

    static final String TYPE = "com.google.common.io.ByteStreams";

    private GuavaCopyInstrumentation() {
    }

    static DynamicType.Builder<?> apply(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(CopyAdvice.class).on(named("copy").and(returns(long.class))
                .and(takesArguments(InputStream.class, OutputStream.class))));
    }

    /** Inlined into ByteStreams.copy: bootstrap-visible classes only. */
    static final class CopyAdvice {

        private CopyAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static long enter(@Advice.Argument(0) InputStream in, @Advice.Argument(1) OutputStream out) throws IOException {
            // A null argument gets Guava's own checkNotNull.
            return in == null ? 0L : L7Dispatch.enterTransferTo(in, out);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter long handled, @Advice.Return(readOnly = false) long result) {
            if (handled != 0L) {
                result = handled - 1;
            }
        }
    }
}
