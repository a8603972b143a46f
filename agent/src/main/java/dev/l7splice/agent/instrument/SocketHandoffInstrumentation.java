package dev.l7splice.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;

/**
 * Targets: {@code java.net.Socket.close()} and {@code shutdownOutput()}, and the public reads and
 * writes of the JDK's socket streams. Installed only for the hand-off modes: they make the
 * application's calls after a hand-off wait for, or happen after, the relayed body (see
 * {@link dev.l7splice.agent.relay.Handoffs}). Each prologue costs one volatile read when nothing is
 * handed off. The streams' {@code parent} field is their socket (Java 17 to 25).
 */
public final class SocketHandoffInstrumentation {

    private static final String SOCKET_Z = "(Ljava/net/Socket;)Z";
    private static final String SOCKET_V = "(Ljava/net/Socket;)V";

    private SocketHandoffInstrumentation() {
    }

    public static void install(Instrumentation inst) throws Exception {
        JdkRetransformer.install(inst, Map.of(
                "java/net/Socket", List.of(
                        MethodHook.dispatch("close", "()V", "deferClose", SOCKET_Z, MethodHook.Outcome.RETURN_IF_TRUE,
                                "this"),
                        MethodHook.dispatch("shutdownOutput", "()V", "deferShutdownOutput", SOCKET_Z,
                                MethodHook.Outcome.RETURN_IF_TRUE, "this")),
                "java/net/Socket$SocketOutputStream", List.of(
                        MethodHook.dispatch("write", null, "beforeSocketWrite", SOCKET_V, MethodHook.Outcome.CONTINUE,
                                "this.parent")),
                "java/net/Socket$SocketInputStream", List.of(
                        MethodHook.dispatch("read", null, "beforeSocketRead", SOCKET_V, MethodHook.Outcome.CONTINUE,
                                "this.parent"))),
                "socket hand-off instrumentation");
    }
}
