package dev.l7splice.agent.sources;

import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.runtime.JdkSockets;
import java.io.BufferedInputStream;
import java.io.InputStream;

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

    /** The stream below exactly one BufferedInputStream, or {@code in} itself; null when the buffer holds none. */
    private static InputStream below(InputStream in) {
        return in.getClass() == BufferedInputStream.class ? JdkSockets.innerOf((BufferedInputStream) in) : in;
    }

    /** The JDK socket stream behind a candidate (itself, or below its buffer), or null. Cheap; touches nothing. */
    public static InputStream socketStream(InputStream in) {
        InputStream raw = below(in);
        return raw != null && raw.getClass() == JdkSockets.socketIn ? raw : null;
    }

    /** The type a source-unsupported reason names for a candidate with no socket stream behind it. */
    public static Class<?> typeToName(InputStream in) {
        InputStream raw = below(in);
        return raw == null ? in.getClass() : raw.getClass();
    }

    /** The source behind a candidate, or null with the reason counted. */
    public static SourceEnd of(Fallbacks hook, InputStream in) {
        InputStream raw = socketStream(in);
        if (raw == null) {
            hook.unsupported("source-unsupported:", typeToName(in));
            return null;
        }
        return of(hook, in, raw);
    }

    /** The source for {@code in}, whose socket stream is {@code raw} ({@link #socketStream}), or null with the reason counted. */
    public static SourceEnd of(Fallbacks hook, InputStream in, InputStream raw) {
        Readable r = readable(hook, JdkSockets.socketOfInput(raw));
        return r == null ? null : new SocketSource(in, raw, r);
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
