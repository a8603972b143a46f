package dev.l7splice.agent.core;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.Socket;
import java.util.Set;
import net.bytebuddy.asm.Advice;

/**
 * Targets: {@code java.net.Socket.close()} and {@code shutdownOutput()}, and the reads and writes
 * of the JDK's socket streams. Installed only for the hand-off modes: they make the application's
 * calls after a hand-off wait for, or happen after, the relayed body (see
 * {@link dev.l7splice.agent.relay.Handoffs}). Each advice costs one volatile read when nothing is
 * handed off.
 */
final class SocketHandoffInstrumentation {

    private static final Set<String> TYPES =
            Set.of("java.net.Socket", "java.net.Socket$SocketInputStream", "java.net.Socket$SocketOutputStream");

    private SocketHandoffInstrumentation() {
    }

    static void install(Instrumentation inst) {
        JdkRetransformer jdk = new JdkRetransformer();
        jdk.builder()
                .type(named("java.net.Socket"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(0))))
                        .visit(Advice.to(ShutdownOutputAdvice.class).on(named("shutdownOutput").and(takesArguments(0)))))
                .type(named("java.net.Socket$SocketOutputStream"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(WriteAdvice.class).on(named("write").and(isPublic()))))
                .type(named("java.net.Socket$SocketInputStream"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(ReadAdvice.class).on(named("read").and(isPublic()))))
                .installOn(inst);
        jdk.check(TYPES, "socket hand-off instrumentation");
    }

    static final class CloseAdvice {
        private CloseAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.This Socket s) {
            return L7Dispatch.deferClose(s);
        }
    }

    static final class ShutdownOutputAdvice {
        private ShutdownOutputAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.This Socket s) {
            return L7Dispatch.deferShutdownOutput(s);
        }
    }

    static final class WriteAdvice {
        private WriteAdvice() {
        }

        @Advice.OnMethodEnter
        static void enter(@Advice.FieldValue("parent") Socket parent) throws IOException {
            L7Dispatch.beforeSocketWrite(parent);
        }
    }

    static final class ReadAdvice {
        private ReadAdvice() {
        }

        @Advice.OnMethodEnter
        static void enter(@Advice.FieldValue("parent") Socket parent) throws IOException {
            L7Dispatch.beforeSocketRead(parent);
        }
    }
}
