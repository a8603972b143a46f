package dev.l7splice.agent.relay;

import dev.l7splice.agent.bootstrap.RouteHook;
import dev.l7splice.agent.runtime.AgentLog;
import dev.l7splice.agent.runtime.JdkSockets;
import dev.l7splice.engine.Frame;
import dev.l7splice.kernel.nativeio.LinuxIo;
import java.io.IOException;
import java.net.Socket;

/**
 * Route hand-off for the l7splice-api's {@code route(client, head, pool)}: a plain connected JDK
 * socket (no TLS, the JDK's own socket implementation) goes to the sidecar as a private
 * non-blocking dup with the head bytes. Anything else, a head over the frame limit, or a sidecar
 * that is away or refuses (no such pool) returns false with nothing touched, and the API's own
 * fallback connects. Thread-safe; runs on application threads.
 */
public final class SocketRouteHook implements RouteHook {

    private static final int MAX_HEAD = Frame.MAX_BODY - 1024;

    private final SidecarRelay sidecar;

    public SocketRouteHook(SidecarRelay sidecar) {
        this.sidecar = sidecar;
    }

    @Override
    public boolean route(Socket client, byte[] head, String pool) throws IOException {
        byte[] h = head == null ? new byte[0] : head;
        if (client instanceof javax.net.ssl.SSLSocket || h.length > MAX_HEAD || pool.length() > 255
                || client.isClosed() || !client.isConnected() || client.isInputShutdown() || client.isOutputShutdown()) {
            return false;
        }
        int fd = JdkSockets.fdOf(client);
        if (fd < 0) {
            return false;
        }
        int dup = LinuxIo.dup(fd);
        if (dup < 0 || LinuxIo.setNonBlocking(dup) < 0) {
            LinuxIo.close(dup);
            return false;
        }
        try {
            sidecar.route(client, dup, pool, h);
            return true;
        } catch (Offload.Unavailable e) {
            LinuxIo.close(dup);
            AgentLog.debug("route to pool " + pool + " not taken: " + e.getMessage() + "; the application's fallback runs");
            return false;
        }
    }
}
