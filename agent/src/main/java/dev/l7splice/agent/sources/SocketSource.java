package dev.l7splice.agent.sources;

import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.runtime.JdkSockets;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.net.Socket;

/**
 * A connected JDK socket's input stream, or exactly a {@code BufferedInputStream} over one, whose
 * unread bytes are taken under its monitor ({@link HeldBytes#take}). The kernel
 * reads from the socket itself; nothing to update afterwards. The calling thread only.
 */
public final class SocketSource extends SocketBackedSource {

    private final InputStream in;
    private final InputStream raw;

    private SocketSource(InputStream in, InputStream raw, Readable r) {
        super(r);
        this.in = in;
        this.raw = raw;
    }

    /** True for the stream types this class serves (cheap class checks). */
    public static boolean isCandidate(InputStream in) {
        Class<?> type = in.getClass();
        return type == JdkSockets.socketIn || type == BufferedInputStream.class;
    }

    /** The source behind a candidate, or null with the reason counted. */
    public static SourceEnd of(Fallbacks hook, InputStream in) {
        InputStream raw = in.getClass() == BufferedInputStream.class ? JdkSockets.innerOf((BufferedInputStream) in) : in;
        if (raw == null || raw.getClass() != JdkSockets.socketIn) {
            hook.unsupported("source-unsupported:", raw == null ? in.getClass() : raw.getClass());
            return null;
        }
        Socket s = JdkSockets.socketOfInput(raw);
        Readable r = readable(hook, s);
        if (r == null) {
            return null;
        }
        return new SocketSource(in, raw, r);
    }

    @Override
    public boolean relayable() {
        return true;
    }

    @Override
    public long bound() {
        return Long.MAX_VALUE;
    }

    @Override
    public byte[] takeHeld(long max) {
        return in == raw ? new byte[0] : HeldBytes.take((BufferedInputStream) in, max);
    }

    @Override
    public InputStream stream() {
        return raw;
    }
}
