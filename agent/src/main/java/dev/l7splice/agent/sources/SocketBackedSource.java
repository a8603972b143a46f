package dev.l7splice.agent.sources;

import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.runtime.JdkSockets;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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

    /**
     * {@code raw} (the socket stream below the library's buffers) with every byte read through it
     * passed to {@link #moved}: bytes the engine copies in user space count in the owner's state
     * exactly as the bytes the kernel moves do. For a subclass's {@link #stream()}.
     */
    protected final InputStream countingReads(InputStream raw) {
        return new FilterInputStream(raw) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                moved(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                moved(Math.max(n, 0));
                return n;
            }
        };
    }
}
