package dev.l7splice.agent.sources.helidon;

import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.sources.SocketBackedSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;

/**
 * A Helidon 4 WebClient HTTP/1.1 response body of a declared length ({@link HelidonClientStreams}):
 * {@code response.inputStream()}'s {@code RequestingInputStream} over the response's {@code
 * ContentLengthInputStream} over the connection's {@code DataReader} over a plain JDK socket. Bytes
 * Helidon already holds go first, in order: the requesting stream's current buffer, the length
 * stream's, then the reader's (never past the body). Every byte taken below the requesting stream
 * lowers the length stream's {@code remainingLength} as its own reads do, so once the body is moved
 * the library's next read answers -1 and releases the connection to its cache for reuse, as after
 * its own copy; a socket that ends early makes that read fail the library's own way. The kernel never
 * reads past the declared length. The calling thread only (it owns the response).
 */
final class HelidonClientSource extends SocketBackedSource {

    private final Object requesting;
    private final Object body;
    private final Object reader;
    private final Method available;
    private final Method read;
    private final Method readerAvailable;
    private final Method readerBytes;
    private final InputStream counted;

    /** {@code bufferData}: Helidon's {@code BufferData} interface, whose {@code available} and {@code read} are used. */
    HelidonClientSource(Object requesting, Object body, Object reader, Class<?> bufferData, InputStream raw,
                        Readable r) throws ReflectiveOperationException {
        super(r);
        this.requesting = requesting;
        this.body = body;
        this.reader = reader;
        this.available = bufferData.getMethod("available");
        this.read = bufferData.getMethod("read", byte[].class, int.class, int.class);
        this.readerAvailable = Fields.method(reader.getClass(), "available", 0);
        this.readerBytes = Fields.method(reader.getClass(), "readBytes", 1);
        Fields.of(requesting.getClass(), "currentBuffer");
        Fields.of(body.getClass(), "currentBuffer");
        Fields.of(body.getClass(), "remainingLength");
        this.counted = countingReads(raw);
    }

    /** The requesting stream's unread bytes and what the length stream has not handed out yet. */
    @Override
    public long bound() {
        try {
            return held(requesting) + remaining();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0; // looked up when built: cannot happen; 0 keeps the kernel away
        }
    }

    @Override
    public byte[] takeHeld(long max) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long left = Math.min(max, bound());
            left -= drain(requesting, left, out, false);
            left -= drain(body, left, out, true);
            int k = (int) Math.min(left, Math.min(remaining(), (int) readerAvailable.invoke(reader)));
            if (k > 0) {
                out.writeBytes((byte[]) readerBytes.invoke(reader, k));
                moved(k);
            }
            return out.toByteArray();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The socket stream below Helidon's buffers; what it reads counts as read by the length stream. */
    @Override
    public InputStream stream() {
        return counted;
    }

    @Override
    public void moved(long n) {
        try {
            Fields.set(body, "remainingLength", remaining() - n);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e); // looked up when built
        }
    }

    private long remaining() throws ReflectiveOperationException {
        return (long) Fields.get(body, "remainingLength");
    }

    private int held(Object stream) throws ReflectiveOperationException {
        Object buffer = Fields.get(stream, "currentBuffer");
        return buffer == null ? 0 : (int) available.invoke(buffer);
    }

    /** Up to {@code max} bytes of {@code stream}'s current buffer into {@code out}; counted below the requesting stream. */
    private int drain(Object stream, long max, ByteArrayOutputStream out, boolean counts) throws ReflectiveOperationException {
        int k = (int) Math.min(max, held(stream));
        if (k > 0) {
            byte[] b = new byte[k];
            read.invoke(Fields.get(stream, "currentBuffer"), b, 0, k);
            out.write(b, 0, k);
            if (counts) {
                moved(k);
            }
        }
        return k;
    }
}
