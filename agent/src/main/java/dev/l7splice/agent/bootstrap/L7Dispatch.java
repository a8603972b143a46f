package dev.l7splice.agent.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Static entry point for advice inlined into JDK classes. Thread contract: the hook is published
 * once by the installer (volatile write) and read on every call; a null hook means "run the JDK's
 * code". Class-loader contract: loaded by the bootstrap loader, refers to JDK types only.
 */
public final class L7Dispatch {

    private static volatile TransferHook transferHook;
    private static volatile SocketHook socketHook;
    private static volatile ConnectHook connectHook;
    private static volatile RouteHook routeHook;

    private L7Dispatch() {
    }

    public static void install(TransferHook hook) {
        transferHook = hook;
    }

    public static void install(SocketHook hook) {
        socketHook = hook;
    }

    public static void install(ConnectHook hook) {
        connectHook = hook;
    }

    public static void install(RouteHook hook) {
        routeHook = hook;
    }

    /** The api's route(): true when the relay took the client connection, false to run the fallback. */
    public static boolean route(Socket client, byte[] head, String pool) throws IOException {
        RouteHook hook = routeHook;
        return hook != null && client != null && pool != null && hook.route(client, head, pool);
    }

    /** Socket/SocketChannel connect: the address to use (a relay pool's listener, or the same one). */
    public static java.net.SocketAddress routeConnect(java.net.SocketAddress requested) {
        ConnectHook hook = connectHook;
        return hook == null || requested == null ? requested : hook.route(requested);
    }

    /** Socket.close(): true means "skip the original, the close happens after the relayed body". */
    public static boolean deferClose(Socket s) {
        SocketHook hook = socketHook;
        return hook != null && hook.deferClose(s);
    }

    public static boolean deferShutdownOutput(Socket s) {
        SocketHook hook = socketHook;
        return hook != null && hook.deferShutdownOutput(s);
    }

    public static void beforeSocketWrite(Socket s) throws IOException {
        SocketHook hook = socketHook;
        if (hook != null && s != null) {
            hook.beforeWrite(s);
        }
    }

    public static void beforeSocketRead(Socket s) throws IOException {
        SocketHook hook = socketHook;
        if (hook != null && s != null) {
            hook.beforeRead(s);
        }
    }

    /**
     * Called on entry of {@code InputStream.transferTo}. Returns 0 when the original method must
     * run, otherwise the transferred count plus one (so that an empty body is still "handled").
     */
    public static long enterTransferTo(InputStream in, OutputStream out) throws IOException {
        TransferHook hook = transferHook;
        if (hook == null || out == null) {
            return 0L;
        }
        long n = hook.transferTo(in, out);
        return n < 0 ? 0L : n + 1;
    }

    /** Bounded form of {@link #enterTransferTo}: same encoding (0 = run the caller's own code). */
    public static long enterTransfer(InputStream in, OutputStream out, long limit) throws IOException {
        TransferHook hook = transferHook;
        if (hook == null || in == null || out == null || limit < 0) {
            return 0L;
        }
        long n = hook.transfer(in, out, limit);
        return n < 0 ? 0L : n + 1;
    }
}
