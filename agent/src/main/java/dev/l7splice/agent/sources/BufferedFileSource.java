package dev.l7splice.agent.sources;

import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.runtime.JdkSockets;
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.Socket;

/**
 * Exactly a {@code BufferedInputStream} over exactly a {@code FileInputStream} of a regular file: what
 * a {@code file:} URL's connection hands out (so Spring's static resources from a {@code file:}
 * location, and {@code UrlResource}s). The buffer's unread bytes go first, taken under its monitor
 * ({@link HeldBytes#take}); the rest is sent from the file's own position, which
 * is just past them ({@link FileSource}). Taken only whole: the engine asks for fewer buffered bytes
 * than there are only when the body ends inside the buffer, and then the file is not read at all.
 * The calling thread only.
 */
public final class BufferedFileSource implements SourceEnd {

    private final BufferedInputStream buffer;
    private final SourceEnd file;
    private boolean taken;

    private BufferedFileSource(BufferedInputStream buffer, SourceEnd file) {
        this.buffer = buffer;
        this.file = file;
    }

    /** Cheap class checks. */
    public static boolean isCandidate(InputStream in) {
        if (in.getClass() != BufferedInputStream.class) {
            return false;
        }
        InputStream inner = JdkSockets.innerOf((BufferedInputStream) in);
        return inner != null && inner.getClass() == FileInputStream.class;
    }

    /** The file stream below a candidate. */
    public static InputStream inner(InputStream in) {
        return JdkSockets.innerOf((BufferedInputStream) in);
    }

    /** The source behind a candidate whose {@link #inner} stream is {@code file} (null: the reason is counted), or null. */
    public static SourceEnd of(InputStream in, SourceEnd file) {
        return file == null ? null : new BufferedFileSource((BufferedInputStream) in, file);
    }

    @Override
    public boolean isFile() {
        return true;
    }

    @Override
    public int fd() {
        return file.fd();
    }

    @Override
    public Socket socket() {
        return null;
    }

    /** The buffer's unread bytes (until taken) and the file from its position to its end. */
    @Override
    public long bound() {
        long held = 0;
        if (!taken) {
            synchronized (buffer) {
                held = Math.max(0, (int) JdkSockets.bisCount.get(buffer) - (int) JdkSockets.bisPos.get(buffer));
            }
        }
        return held + file.bound();
    }

    @Override
    public byte[] takeHeld(long max) {
        if (taken) {
            return new byte[0];
        }
        byte[] held = HeldBytes.take(buffer, max);
        taken = held != null;
        return held;
    }

    /** The file stream below the buffer (empty by the time the engine reads here). */
    @Override
    public InputStream stream() {
        return file.stream();
    }
}
