package dev.l7splice.agent.core;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import java.lang.instrument.Instrumentation;
import java.net.SocketAddress;
import java.util.Set;
import net.bytebuddy.asm.Advice;

/**
 * Targets: {@code java.net.Socket.connect(SocketAddress, int)} (every blocking client socket
 * connects through it) and {@code sun.nio.ch.SocketChannelImpl.connect(SocketAddress)} (NIO and
 * the JDK's HttpClient). The advice swaps the address for a relay pool's listener when the address
 * is a declared route ({@link dev.l7splice.agent.relay.RouteTable}); one volatile read otherwise.
 * Installed only with {@code offload=sidecar}.
 */
final class ConnectRouteInstrumentation {

    private ConnectRouteInstrumentation() {
    }

    static void install(Instrumentation inst) throws ClassNotFoundException {
        Class.forName("sun.nio.ch.SocketChannelImpl", false, null); // loaded, so it is retransformed now
        JdkRetransformer jdk = new JdkRetransformer();
        jdk.builder()
                .type(named("java.net.Socket"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(ConnectAdvice.class).on(named("connect").and(takesArguments(2))
                                .and(takesArgument(0, SocketAddress.class)))))
                .type(named("sun.nio.ch.SocketChannelImpl"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(ConnectAdvice.class).on(named("connect").and(takesArguments(1))
                                .and(takesArgument(0, SocketAddress.class)))))
                .installOn(inst);
        jdk.check(Set.of("java.net.Socket", "sun.nio.ch.SocketChannelImpl"), "connect route instrumentation");
    }

    static final class ConnectAdvice {
        private ConnectAdvice() {
        }

        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(value = 0, readOnly = false) SocketAddress endpoint) {
            endpoint = L7Dispatch.routeConnect(endpoint);
        }
    }
}
