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
 * Target: Apache Commons IO {@code org.apache.commons.io.IOUtils}. Every stream-to-stream overload
 * ({@code copy(in, out)}, {@code copy(in, out, bufferSize)}, {@code copyLarge(in, out)}) ends in
 * {@code copyLarge(in, out, byte[])}, and both bounded ones in
 * {@code copyLarge(in, out, inputOffset, length, byte[])}; this holds from 2.5 to 2.22 (checked
 * with javap). Advising those two leaves covers all of them once per call, and the library's own
 * wrappers keep its contract: {@code copy} returns an int, -1 above {@code Integer.MAX_VALUE}.
 * A bounded copy with {@code inputOffset > 0} runs the library's code (its skip and its exception).
 */
final class CommonsIoCopyInstrumentation {

    static final String TYPE = "org.apache.commons.io.IOUtils";

    private CommonsIoCopyInstrumentation() {
    }

    static DynamicType.Builder<?> apply(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(CopyLargeAdvice.class).on(named("copyLarge").and(returns(long.class))
                        .and(takesArguments(InputStream.class, OutputStream.class, byte[].class))))
                .visit(Advice.to(BoundedCopyLargeAdvice.class).on(named("copyLarge").and(returns(long.class))
                        .and(takesArguments(InputStream.class, OutputStream.class, long.class, long.class,
                                byte[].class))));
    }

    /** Inlined into copyLarge(in, out, byte[]): bootstrap-visible classes only. */
    static final class CopyLargeAdvice {

        private CopyLargeAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static long enter(@Advice.Argument(0) InputStream in, @Advice.Argument(1) OutputStream out,
                          @Advice.Argument(2) byte[] buffer) throws IOException {
            // Odd arguments (nulls, an empty buffer) get the library's own behaviour.
            if (in == null || buffer == null || buffer.length == 0) {
                return 0L;
            }
            return L7Dispatch.enterTransferTo(in, out);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter long handled, @Advice.Return(readOnly = false) long result) {
            if (handled != 0L) {
                result = handled - 1;
            }
        }
    }

    /** Inlined into copyLarge(in, out, inputOffset, length, byte[]); length < 0 means to end of stream. */
    static final class BoundedCopyLargeAdvice {

        private BoundedCopyLargeAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static long enter(@Advice.Argument(0) InputStream in, @Advice.Argument(1) OutputStream out,
                          @Advice.Argument(2) long inputOffset, @Advice.Argument(3) long length,
                          @Advice.Argument(4) byte[] buffer) throws IOException {
            if (in == null || buffer == null || buffer.length == 0 || inputOffset > 0 || length == 0) {
                return 0L;
            }
            return length < 0 ? L7Dispatch.enterTransferTo(in, out) : L7Dispatch.enterTransfer(in, out, length);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter long handled, @Advice.Return(readOnly = false) long result) {
            if (handled != 0L) {
                result = handled - 1;
            }
        }
    }
}
