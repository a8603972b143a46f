package dev.l7splice.agent.sources;

import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.runtime.JdkSockets;
import java.net.Socket;

/**
 * What every socket-backed source shares: the connected JDK socket whose fd the kernel reads in
 * place of the owner's stream. {@link #readable} resolves that pair once, the same way for every
 * library (a closed, unconnected or input-shut socket, or one whose fd the agent cannot read, is
 * counted and left to the owner), so the subclasses hold only their library's state. The calling
 * thread only, like every source end.
 */
public abstract class SocketBackedSource implements SourceEnd {

    /** A connected socket with its input open, and its fd (the owner's; the engine dups it). */
    public static final class Readable {
        final Socket socket;
        final int fd;

        private Readable(Socket socket, int fd) {
            this.socket = socket;
            this.fd = fd;
        }
    }

    protected final Socket socket;
    protected final int fd;

    protected SocketBackedSource(Readable r) {
        this.socket = r.socket;
        this.fd = r.fd;
    }

    /** {@code s} with its fd when the kernel may read it now, or null with the reason counted. */
    public static Readable readable(Fallbacks hook, Socket s) {
        int fd = JdkSockets.fdOf(s);
        if (s.isClosed() || !s.isConnected() || s.isInputShutdown() || fd < 0) {
            hook.fallback(fd < 0 && !s.isClosed() ? "socket-impl" : "socket-state");
            return null;
        }
        return new Readable(s, fd);
    }

    @Override
    public final boolean isFile() {
        return false;
    }

    @Override
    public final int fd() {
        return fd;
    }

    @Override
    public final Socket socket() {
        return socket;
    }
}
