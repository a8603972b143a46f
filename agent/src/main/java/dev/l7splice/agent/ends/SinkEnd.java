package dev.l7splice.agent.ends;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * The destination of one body, seen by the engine: the owner's stream (for the bytes copied in user
 * space, which the owner counts itself), what the owner still buffers, a socket fd, the framing,
 * and the owner's counters to bring up to date afterwards. One implementation per stream type,
 * recognised by class name ({@code sinks.Sinks}); an instance lives for one transfer on the calling
 * thread, which is the thread that owns the server's response objects.
 *
 * <p>Order of calls: {@link #room()} and {@link #ownerFirst()} any time; {@link #prepare()} once,
 * before the first byte of the body; {@link #flushOwner()} once, before the first kernel byte; {@link #fd()}, {@link #framing()} and {@link #isClosed()}
 * only after it said yes; {@link #moved} after the kernel part (also after a failure, with what
 * went out); {@link #bodyComplete()} once the declared length is reached; {@link #release()} once at
 * the very end, however the transfer ended.
 */
public interface SinkEnd {

    /** The stream type's short name ("tomcat", "httpserver"), used in fallback reasons. */
    String name();

    /** The stream the application passed: bytes written here are framed and counted by the owner. */
    OutputStream owner();

    /** Bytes the body may still carry (a declared length minus what was written), or Long.MAX_VALUE. */
    long room();

    /**
     * True for a server's stream: a body of known length below {@code sink.min-bytes} stays with
     * the owner's copy, whose commit and counters would cost more than the kernel saves. False for
     * a plain socket, which has none of those costs.
     */
    default boolean keepsShortBodies() {
        return true;
    }

    /** Bytes that must go through the owner's own stream before the kernel may take over (0 for most). */
    default long ownerFirst() {
        return 0;
    }

    /**
     * Called once before the first byte of the body is written, through the owner or the kernel: a
     * plain socket waits here for a relay that may still owe it bytes (hand-off modes).
     */
    default void prepare() throws IOException {
    }

    /**
     * Pushes out everything the owner buffered (head, earlier body bytes), then checks the state
     * the owner settled on meanwhile. Null when the kernel may write to {@link #fd()} now; otherwise
     * the fallback reason, and the rest of the body goes through {@link #owner()}.
     */
    String flushOwner() throws IOException;

    /**
     * The destination socket when this sink is that socket's own stream, with nothing to frame or
     * count: a relay may then take the body over (hand-off modes, virtual threads that may not wait
     * in the kernel). Null for a server's stream.
     */
    default Socket socket() {
        return null;
    }

    /** The connection's fd (the owner's; the engine dups it). */
    int fd();

    /** True once the owner closed the connection (checked between waits). */
    boolean isClosed();

    Framing framing();

    /** How long a write may wait for the connection to take bytes before it fails, as the owner's own writes do; 0: no limit. */
    default long writeTimeoutMillis() {
        return 0;
    }

    /**
     * A chunked sink whose owner already wrote a chunk's data without the CRLF that ends it (it writes
     * that CRLF with its next size line): the engine writes it first. Read after {@link #flushOwner()}.
     */
    default boolean chunkOpen() {
        return false;
    }

    /** Bytes are moving in the kernel (called per piece, on the calling thread): an owner with an idle clock resets it. */
    default void progress() {
    }

    /** {@code body} payload bytes went out in the kernel, {@code wire} bytes in all (chunk framing included). */
    void moved(long body, long wire);

    /** The declared length is reached by kernel bytes: do what the owner does when its last byte is written. */
    default void bodyComplete() throws IOException {
    }

    /** The exception the owner would raise for this write failure (and any state it sets on it). */
    default IOException failed(IOException e) {
        return e;
    }

    /** The transfer is over, whichever way: give back what resolving the sink took (a framework's lock). Once, on the calling thread. */
    default void release() {
    }
}
