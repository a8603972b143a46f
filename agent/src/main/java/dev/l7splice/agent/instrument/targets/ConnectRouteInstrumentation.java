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
 * Targets: {@code java.net.Socket.connect(SocketAddress, int)} (every blocking client socket
 * connects through it) and {@code sun.nio.ch.SocketChannelImpl.connect(SocketAddress)} (NIO and
 * the JDK's HttpClient). The prologue swaps the address for a relay pool's listener when the
 * address is a declared route ({@link dev.l7splice.agent.relay.RouteTable}); one volatile read
 * otherwise. Installed only with {@code offload=sidecar}.
 */
public final class ConnectRouteInstrumentation extends Target {

    private static final String ROUTE = "(Ljava/net/SocketAddress;)Ljava/net/SocketAddress;";

    public ConnectRouteInstrumentation() {
        super("connect-route", Phase.ROUTES);
    }

    @Override
    public void install(Installation at) throws Exception {
        L7Dispatch.install(at.sidecar.routes());
        install(at.inst);
        at.sidecar.connectInBackground();
    }

    private static void install(Instrumentation inst) throws Exception {
        JdkRetransformer.install(inst, Map.of(
                "java/net/Socket", List.of(MethodHook.dispatch("connect", "(Ljava/net/SocketAddress;I)V",
                        "routeConnect", ROUTE, MethodHook.Outcome.REPLACE_ARGUMENT, "0")),
                "sun/nio/ch/SocketChannelImpl", List.of(MethodHook.dispatch("connect", "(Ljava/net/SocketAddress;)Z",
                        "routeConnect", ROUTE, MethodHook.Outcome.REPLACE_ARGUMENT, "0"))),
                "connect route instrumentation");
    }
}
