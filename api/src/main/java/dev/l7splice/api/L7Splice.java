package dev.l7splice.api;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Explicit, opt-in body transfers. With the l7splice agent running ({@code -javaagent:l7agent.jar}),
 * the agent moves the bytes in the kernel wherever it can prove that safe (the same ends it accepts
 * for {@code InputStream.transferTo}: JDK socket streams, or exactly a {@code BufferedInputStream}
 * / {@code BufferedOutputStream} over one). Without the agent, or for any other pair of ends, the
 * same calls do a plain copy: the result is the same bytes and the same count either way.
 *
 * <p>Neither method flushes or closes {@code out}; bytes may stay in a buffering {@code out}
 * until the caller flushes it, as with {@code transferTo}. Thread contract: like the streams
 * passed in (one thread per stream at a time); the class itself holds no state.
 *
 * <p>{@link #route} hands a whole client connection to the relay's balancer (agent with
 * {@code offload=sidecar}); without it, the call connects to a fallback address itself.
 */
public final class L7Splice {

    private static final int BUFFER = 8192;

    private L7Splice() {
    }

    /**
     * Moves {@code n} bytes of {@code in} to {@code out} ({@code n < 0}: everything up to end of
     * stream) and returns how many moved: {@code n} unless {@code in} ended first. Reads no byte of
     * {@code in} beyond those {@code n}, so the stream stays usable (the next request on a
     * keep-alive connection).
     */
    public static long splice(InputStream in, OutputStream out, long n) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        long moved = offloaded(in, out, n);
        if (moved >= 0) {
            return moved;
        }
        return n < 0 ? in.transferTo(out) : copy(in, out, n);
    }

    /**
     * Sends {@code n} bytes of {@code file} starting at {@code offset} to {@code out} ({@code n < 0}:
     * up to the end of the file) and returns how many were sent: {@code n} unless the file ended
     * first. With the agent, the file's stream goes to the agent's bounded transfer (sendfile(2)
     * where the agent supports it); otherwise a {@code FileChannel} moves the bytes (in the kernel
     * when {@code out} is exactly a {@code FileOutputStream}).
     */
    public static long sendFile(Path file, long offset, long n, OutputStream out) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(out, "out");
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            FileChannel channel = in.getChannel();
            channel.position(offset);
            long moved = offloaded(in, out, n);
            if (moved >= 0) {
                return moved;
            }
            return fromChannel(channel, offset, n < 0 ? Long.MAX_VALUE : n, out);
        }
    }

    /**
     * Serves the rest of a client connection through a pool of the relay's balancer: the relay
     * picks a server of {@code pool}, connects, writes {@code head} (what the application already
     * read from the client and the server must see: the request head, any body bytes buffered),
     * then moves both directions in the kernel; with no server it answers HTTP 503. Returns once
     * the connection is taken care of: the caller must not read or write {@code client} any more
     * and may close it (with the agent, the close happens after the relay is done).
     *
     * <p>Without the agent (or without a sidecar, or no such pool there), this connects to
     * {@code fallback} itself, writes {@code head}, copies both directions on this thread and a
     * helper thread until both ends finish, then closes both sockets.
     */
    public static void route(Socket client, byte[] head, String pool, InetSocketAddress fallback) throws IOException {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(fallback, "fallback");
        byte[] h = head == null ? new byte[0] : head;
        if (routed(client, h, pool)) {
            return;
        }
        Fallback.relay(client, h, fallback);
    }

    /** Instrumented by the agent (instrumentation {@code api}): true when the relay took the connection. */
    static boolean routed(Socket client, byte[] head, String pool) throws IOException {
        return false;
    }

    /**
     * The one point the agent instruments (by name; instrumentation {@code api}). Without the agent,
     * or when the agent cannot prove both ends safe, it returns -1 having touched neither stream,
     * and the caller copies. The agent's advice returns the count it moved instead.
     */
    static long offloaded(InputStream in, OutputStream out, long n) throws IOException {
        return -1;
    }

    /** Exactly {@code n} bytes or up to end of stream, never reading past {@code n}. */
    private static long copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(1, n))];
        long done = 0;
        while (done < n) {
            int k = in.read(buf, 0, (int) Math.min(buf.length, n - done));
            if (k < 0) {
                break;
            }
            out.write(buf, 0, k);
            done += k;
        }
        return done;
    }

    private static long fromChannel(FileChannel channel, long offset, long n, OutputStream out) throws IOException {
        // Not closed: closing this wrapper would close out.
        WritableByteChannel target = Channels.newChannel(out);
        long done = 0;
        while (done < n) {
            long k = channel.transferTo(offset + done, n - done, target);
            if (k <= 0) {
                break; // end of file
            }
            done += k;
        }
        return done;
    }
}
