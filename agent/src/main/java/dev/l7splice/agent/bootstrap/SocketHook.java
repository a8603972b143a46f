package dev.l7splice.agent.bootstrap;

import java.io.IOException;
import java.net.Socket;

/**
 * What advice woven into {@code java.net.Socket} and its streams asks while a socket's body is
 * being completed by a relay: the application's later calls must behave as if the body had been
 * delivered first. Bootstrap-visible (JDK types only); implemented in the agent's own loader.
 */
public interface SocketHook {

    /** True when the close was recorded and will happen after the relayed body; false: close now. */
    boolean deferClose(Socket s);

    /** True when shutdownOutput was recorded and will happen after the relayed body. */
    boolean deferShutdownOutput(Socket s);

    /** Blocks a write until every body being relayed into this socket is delivered. */
    void beforeWrite(Socket s) throws IOException;

    /** Blocks a read until the relay has stopped reading this socket. */
    void beforeRead(Socket s) throws IOException;
}
