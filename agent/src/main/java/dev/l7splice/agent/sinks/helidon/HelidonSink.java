package dev.l7splice.agent.sinks.helidon;

import dev.l7splice.agent.ends.ChannelSink;
import dev.l7splice.agent.ends.Framing;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;

/**
 * A Helidon 4 SE HTTP/1.1 response body (plain socket, direct writer) as {@link HelidonResolver}
 * found it: fixed-length (a Content-Length header set before {@code outputStream()}) or chunked.
 * Helidon writes the head with the first body bytes, and for a chunked body holds its first write
 * back (one write only: it sends a Content-Length instead), so its own stream sees enough bytes
 * first ({@link #ownerFirst}) to have written the head and chosen the framing it would have chosen.
 * Its counts are kept ({@link HelidonStream#add}); its last chunk and trailers stay its own (written
 * when the response completes). Helidon's blocking socket writes have no timeout, nor does this.
 * Called on the request's thread only (a virtual thread in Helidon).
 */
final class HelidonSink extends ChannelSink {

    /** The size of the writes of the JDK's own transferTo from Java 21 (Helidon 4 needs 21 or later). */
    private static final int TRANSFER_TO_PIECE = 16384;

    private final HelidonStream stream;
    private Framing framing;

    HelidonSink(OutputStream out, HelidonStream stream, SocketChannel channel, int fd) {
        super("helidon", out, channel, fd);
        this.stream = stream;
    }

    @Override
    public long room() {
        try {
            return stream.room();
        } catch (ReflectiveOperationException e) {
            return 0; // looked up when built: cannot happen; 0 keeps the kernel away
        }
    }

    /**
     * Head not written yet: one byte for a fixed-length body (Helidon writes its head with the first
     * body bytes); for a chunked one more than a single write can carry (the buffer, a transferTo
     * piece), so that Helidon has seen two writes and chosen chunked, as it does for such a body.
     */
    @Override
    public long ownerFirst() {
        try {
            if (stream.committed()) {
                return 0;
            }
            return stream.chunked() ? Math.max(stream.bufferSize(), TRANSFER_TO_PIECE) + 1L : 1;
        } catch (ReflectiveOperationException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String flushOwner() throws IOException {
        out.flush(); // Helidon's: its buffer to the body writer, which writes (head and chunk) to the socket at once
        try {
            if (stream.closed() || !stream.committed() || stream.holdsBytes() || !channel.isOpen()) {
                return "helidon-state";
            }
            if (stream.chunked()) {
                framing = Framing.CHUNKED;
            } else if (stream.declared() >= 0) {
                framing = Framing.FIXED;
            } else {
                return "helidon-framing";
            }
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "helidon-internals";
        }
    }

    @Override
    public Framing framing() {
        return framing;
    }

    @Override
    public void moved(long body, long wire) {
        try {
            stream.add(body, wire);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e); // looked up before the first kernel byte
        }
    }

    /**
     * What the handler sees when Helidon's own write fails: its {@code ServerConnectionException}
     * (unchecked, so thrown from here) around the socket's error, after which Helidon closes the
     * connection quietly; the plain exception when that class cannot be had.
     */
    @Override
    public IOException failed(IOException e) {
        RuntimeException helidons;
        try {
            Class<?> type = Class.forName("io.helidon.webserver.ServerConnectionException", false,
                    out.getClass().getClassLoader());
            helidons = (RuntimeException) type.getConstructor(String.class, Throwable.class)
                    .newInstance("Failed to write response content", new UncheckedIOException(e));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError notThere) {
            return e;
        }
        throw helidons;
    }
}
