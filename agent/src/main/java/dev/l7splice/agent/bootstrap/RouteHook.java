package dev.l7splice.agent.bootstrap;

import java.io.IOException;
import java.net.Socket;

/**
 * What the l7splice-api's {@code route} call asks through inlined advice: hand the client
 * connection, with the head bytes, to the relay's pool. Bootstrap-visible (JDK types only).
 */
public interface RouteHook {

    /** True when the relay took the connection; false (nothing touched) to run the caller's fallback. */
    boolean route(Socket client, byte[] head, String pool) throws IOException;
}
