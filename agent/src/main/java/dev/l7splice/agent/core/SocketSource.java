package dev.l7splice.agent.core;

import dev.l7splice.agent.ends.SourceEnd;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.net.Socket;

/**
 * A connected JDK socket's input stream, or exactly a {@code BufferedInputStream} over one, whose
 * unread bytes are taken under its monitor ({@link SocketTransferHook#takeBuffered}). The kernel
 * reads from the socket itself; nothing to update afterwards. The calling thread only.
 */
final class SocketSource implements SourceEnd {

    private final InputStream in;
    private final InputStream raw;
    private final Socket socket;
    private final int fd;

    private SocketSource(InputStream in, InputStream raw, Socket socket, int fd) {
        this.in = in;
        this.raw = raw;
        this.socket = socket;
        this.fd = fd;
    }

    /** True for the stream types this class serves (cheap class checks). */
    static boolean isCandidate(InputStream in) {
        Class<?> type = in.getClass();
        return type == JdkSockets.socketIn || type == BufferedInputStream.class;
    }

    /** The source behind a candidate, or null with the reason counted. */
    static SourceEnd of(SocketTransferHook hook, InputStream in) {
        InputStream raw = in.getClass() == BufferedInputStream.class ? JdkSockets.innerOf((BufferedInputStream) in) : in;
        if (raw == null || raw.getClass() != JdkSockets.socketIn) {
            hook.unsupported("source-unsupported:", raw == null ? in.getClass() : raw.getClass());
            return null;
        }
        Socket s = JdkSockets.socketOfInput(raw);
        int fd = JdkSockets.fdOf(s);
        if (s.isClosed() || !s.isConnected() || s.isInputShutdown() || fd < 0) {
            hook.fallback(fd < 0 && !s.isClosed() ? "socket-impl" : "socket-state");
            return null;
        }
        return new SocketSource(in, raw, s, fd);
    }

    @Override
    public boolean isFile() {
        return false;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public Socket socket() {
        return socket;
    }

    @Override
    public long bound() {
        return Long.MAX_VALUE;
    }

    @Override
    public byte[] takeHeld(long max) {
        return in == raw ? new byte[0] : SocketTransferHook.takeBuffered((BufferedInputStream) in, max);
    }

    @Override
    public InputStream stream() {
        return raw;
    }
}
