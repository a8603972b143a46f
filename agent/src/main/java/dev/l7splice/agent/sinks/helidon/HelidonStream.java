package dev.l7splice.agent.sinks.helidon;

import dev.l7splice.agent.ends.Fields;
import java.io.BufferedOutputStream;

/**
 * The state of Helidon 4's {@code Http1ServerResponse$BlockingOutputStream} (one response's body
 * writer) and of the {@code BufferedOutputStream} Helidon puts in front of it (its {@code
 * write-buffer-size}, 4 KiB by default; null when off). Fields, as Helidon 4.5's writes use them:
 * {@code firstByte} (the head is not written yet), {@code firstBuffer} (a chunked body's first write,
 * held back until a second one shows the body is not a single buffer, which Helidon would send with a
 * Content-Length instead), {@code isChunked}, {@code contentLength} (the declared length, or -1),
 * {@code bytesWritten} (body bytes of a fixed-length body, checked against the length at each write),
 * {@code responseBytesTotal} (every byte on the wire: head, chunk framing, body; what the response's
 * {@code bytesWritten()} reports). Every handle is looked up when built; the request's thread only.
 */
final class HelidonStream {

    private final Object bos;
    private final BufferedOutputStream buffer;

    HelidonStream(Object bos, BufferedOutputStream buffer) throws ReflectiveOperationException {
        this.bos = bos;
        this.buffer = buffer;
        for (String name : new String[] {"firstByte", "firstBuffer", "isChunked", "contentLength", "bytesWritten",
                "responseBytesTotal"}) {
            Fields.of(bos.getClass(), name);
        }
        Fields.of(BufferedOutputStream.class, "count");
        Fields.of(BufferedOutputStream.class, "buf");
    }

    /** The head is on the wire (or queued to it): the framing is decided. */
    boolean committed() throws ReflectiveOperationException {
        return !(boolean) Fields.get(bos, "firstByte");
    }

    boolean chunked() throws ReflectiveOperationException {
        return (boolean) Fields.get(bos, "isChunked");
    }

    long declared() throws ReflectiveOperationException {
        return (long) Fields.get(bos, "contentLength");
    }

    boolean closed() throws ReflectiveOperationException {
        return (boolean) Fields.get(bos, "closed") || (boolean) Fields.get(bos, "closing");
    }

    /** Bytes Helidon still holds in user space: its buffer's, and a chunked body's first write. */
    boolean holdsBytes() throws ReflectiveOperationException {
        return buffered() > 0 || Fields.get(bos, "firstBuffer") != null;
    }

    /** The write buffer's capacity (0 without one). */
    int bufferSize() throws ReflectiveOperationException {
        return buffer == null ? 0 : ((byte[]) Fields.of(BufferedOutputStream.class, "buf").get(buffer)).length;
    }

    /** What a declared length still allows (bytes in the write buffer included), or Long.MAX_VALUE. */
    long room() throws ReflectiveOperationException {
        long declared = declared();
        if (chunked() || declared < 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, declared - (long) Fields.get(bos, "bytesWritten") - buffered());
    }

    /** As Helidon's own writes count: body bytes only for a fixed-length body, wire bytes always. */
    void add(long body, long wire) throws ReflectiveOperationException {
        if (!chunked()) {
            Fields.set(bos, "bytesWritten", (long) Fields.get(bos, "bytesWritten") + body);
        }
        Fields.set(bos, "responseBytesTotal", (long) Fields.get(bos, "responseBytesTotal") + wire);
    }

    private int buffered() throws ReflectiveOperationException {
        return buffer == null ? 0 : (int) Fields.of(BufferedOutputStream.class, "count").get(buffer);
    }
}
