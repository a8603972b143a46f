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
 * Target: Spring {@code org.springframework.util.StreamUtils}. {@code copy(in, out)} returns the
 * count as an int (the long count cast, as Spring does) and flushes {@code out}, on our path too.
 * {@code copyRange(in, out, start, end)} copies {@code end - start + 1} bytes and returns the long
 * count; offloaded when {@code start == 0} (a stream already positioned), otherwise Spring's skip
 * and its exception run. Spring 6's {@code copy} itself calls {@code transferTo}, which the
 * {@code transfer-to} instrumentation covers too; this advice answers first, once.
 */
final class SpringStreamUtilsInstrumentation {

    static final String TYPE = "org.springframework.util.StreamUtils";

    private SpringStreamUtilsInstrumentation() {
    }

    static DynamicType.Builder<?> apply(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(CopyAdvice.class).on(named("copy").and(returns(int.class))
                        .and(takesArguments(InputStream.class, OutputStream.class))))
                .visit(Advice.to(CopyRangeAdvice.class).on(named("copyRange").and(returns(long.class))
                        .and(takesArguments(InputStream.class, OutputStream.class, long.class, long.class))));
    }

    /** Inlined into StreamUtils.copy: bootstrap-visible classes only. */
    static final class CopyAdvice {

        private CopyAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static long enter(@Advice.Argument(0) InputStream in, @Advice.Argument(1) OutputStream out) throws IOException {
            if (in == null) {
                return 0L; // Spring's own Assert message
            }
            long handled = L7Dispatch.enterTransferTo(in, out);
            if (handled != 0L) {
                out.flush();
            }
            return handled;
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter long handled, @Advice.Return(readOnly = false) int result) {
            if (handled != 0L) {
                result = (int) (handled - 1);
            }
        }
    }

    /** Inlined into StreamUtils.copyRange. */
    static final class CopyRangeAdvice {

        private CopyRangeAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static long enter(@Advice.Argument(0) InputStream in, @Advice.Argument(1) OutputStream out,
                          @Advice.Argument(2) long start, @Advice.Argument(3) long end) throws IOException {
            // end < 0 or end == Long.MAX_VALUE: Spring's own (odd) behaviour, not ours to change.
            if (in == null || start != 0 || end < 0 || end == Long.MAX_VALUE) {
                return 0L;
            }
            return L7Dispatch.enterTransfer(in, out, end + 1);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter long handled, @Advice.Return(readOnly = false) long result) {
            if (handled != 0L) {
                result = handled - 1;
            }
        }
    }
}
