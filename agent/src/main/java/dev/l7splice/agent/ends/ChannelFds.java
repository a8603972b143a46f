package dev.l7splice.agent.ends;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SocketChannel;

/**
 * The fd of the JDK's own {@code SocketChannelImpl}, which servers built on NIO write to. Needs
 * java.base/sun.nio.ch opened to the agent's module (the installer does it). Thread-safe.
 */
public final class ChannelFds {

    private static final String IMPL = "sun.nio.ch.SocketChannelImpl";
    private static volatile VarHandle fdVal;

    private ChannelFds() {
    }

    /** The channel's fd, or -1 when it is not the JDK's implementation or is closed. */
    public static int fdOf(SocketChannel ch) throws ReflectiveOperationException {
        if (ch == null || !ch.isOpen() || !ch.getClass().getName().equals(IMPL)) {
            return -1;
        }
        VarHandle h = fdVal;
        if (h == null) {
            Class<?> impl = ch.getClass();
            h = MethodHandles.privateLookupIn(impl, MethodHandles.lookup()).findVarHandle(impl, "fdVal", int.class);
            fdVal = h;
        }
        return (int) h.get(ch);
    }
}
