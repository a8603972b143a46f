package dev.l7splice.agent.core;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

/**
 * Targets: the l7splice-api jar's {@code dev.l7splice.api.L7Splice.routed(client, head, pool)}
 * (route hand-off to the sidecar's pool) and {@code L7Splice.offloaded(in, out, n)}, the one
 * point both {@code splice} and {@code sendFile} pass through. Its own body returns -1 ("copy it
 * yourself"); the advice returns the count the agent moved instead: bounded for {@code n >= 0},
 * to end of stream for {@code n < 0}. {@code sendFile} passes a {@code FileInputStream} positioned
 * at the offset, so whatever the hook learns to do with file streams applies here unchanged.
 */
final class ApiInstrumentation {

    static final String TYPE = "dev.l7splice.api.L7Splice";

    private ApiInstrumentation() {
    }

    static DynamicType.Builder<?> apply(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(OffloadedAdvice.class).on(named("offloaded").and(isStatic())
                .and(returns(long.class)).and(takesArguments(InputStream.class, OutputStream.class, long.class))))
                .visit(Advice.to(RoutedAdvice.class).on(named("routed").and(isStatic())
                        .and(returns(boolean.class)).and(takesArguments(Socket.class, byte[].class, String.class))));
    }

    /** Inlined into L7Splice.routed: the relay takes the connection, or the API's fallback connects. */
    static final class RoutedAdvice {

        private RoutedAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.Argument(0) Socket client, @Advice.Argument(1) byte[] head,
                             @Advice.Argument(2) String pool) throws IOException {
            return L7Dispatch.route(client, head, pool);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter boolean taken, @Advice.Return(readOnly = false) boolean result) {
            if (taken) {
                result = true;
            }
        }
    }

    /** Inlined into L7Splice.offloaded: bootstrap-visible classes only. */
    static final class OffloadedAdvice {

        private OffloadedAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static long enter(@Advice.Argument(0) InputStream in, @Advice.Argument(1) OutputStream out,
                          @Advice.Argument(2) long n) throws IOException {
            if (in == null) {
                return 0L;
            }
            return n < 0 ? L7Dispatch.enterTransferTo(in, out) : L7Dispatch.enterTransfer(in, out, n);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter long handled, @Advice.Return(readOnly = false) long result) {
            if (handled != 0L) {
                result = handled - 1;
            }
        }
    }
}
