package dev.l7splice.agent.sinks.jetty;

import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.ends.Framing;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP/1.1 side of a Jetty 12 response: the connection's {@code HttpGenerator} (its state, the
 * framing it chose at commit, its count of body bytes, whether a chunk still lacks its closing CRLF),
 * the connection's {@code _bytesOut}, and the {@code SocketChannelEndPoint} (its idle timeout, which
 * is also how long Jetty's blocking writes wait, its idle clock, its write flusher, its close). Every
 * handle is looked up in {@link #of}, before the first kernel byte. Used on the request's thread.
 */
final class JettyConnection {

    private final Object generator;
    private final AtomicLong bytesOut;
    private final Object endPoint;
    private final Method notIdle;
    private final Object writeFlusher;
    private final Method pending;

    private JettyConnection(Object generator, AtomicLong bytesOut, Object endPoint, Method notIdle,
                            Object writeFlusher, Method pending) {
        this.generator = generator;
        this.bytesOut = bytesOut;
        this.endPoint = endPoint;
        this.notIdle = notIdle;
        this.writeFlusher = writeFlusher;
        this.pending = pending;
    }

    static JettyConnection of(Object connection, Object endPoint) throws ReflectiveOperationException {
        Object generator = Fields.get(connection, "_generator");
        for (String name : new String[] {"_state", "_endOfContent", "_contentPrepared", "_needCRLF", "_noContentResponse"}) {
            Fields.of(generator.getClass(), name); // what framing() and moved() read and update, looked up now
        }
        Fields.get(endPoint, "_idleTimeout");
        Object flusher = Fields.get(endPoint, "_writeFlusher");
        return new JettyConnection(generator, (AtomicLong) Fields.get(connection, "_bytesOut"), endPoint,
                Fields.method(endPoint.getClass(), "notIdle", 0), flusher, Fields.method(flusher.getClass(), "isPending", 0));
    }

    /**
     * The framing Jetty committed to, or null when the kernel must not write: not committed yet
     * (START), already completing, a bodiless response (204, 304), or an end of content it left open.
     */
    Framing framing() throws ReflectiveOperationException {
        if (!JettyResolver.enumName(Fields.get(generator, "_state")).equals("COMMITTED")
                || (boolean) Fields.get(generator, "_noContentResponse")) {
            return null;
        }
        return switch (JettyResolver.enumName(Fields.get(generator, "_endOfContent"))) {
            case "CONTENT_LENGTH" -> Framing.FIXED;
            case "CHUNKED_CONTENT" -> Framing.CHUNKED;
            case "EOF_CONTENT" -> Framing.RAW;
            default -> null;
        };
    }

    boolean committed() throws ReflectiveOperationException {
        return !JettyResolver.enumName(Fields.get(generator, "_state")).equals("START");
    }

    /** The generator's pending CRLF is taken over by the engine (it writes it before its first chunk). */
    boolean takeOpenChunk() throws ReflectiveOperationException {
        boolean open = (boolean) Fields.get(generator, "_needCRLF");
        Fields.set(generator, "_needCRLF", false);
        return open;
    }

    boolean writePending() throws ReflectiveOperationException {
        return (boolean) pending.invoke(writeFlusher);
    }

    /** Jetty's idle timeout of the connection (0: none). */
    long idleTimeoutMillis() {
        try {
            return Math.max(0, (long) Fields.get(endPoint, "_idleTimeout"));
        } catch (ReflectiveOperationException e) {
            return 0;
        }
    }

    /** As Jetty's own writes do: the connection is not idle while bytes move. */
    void notIdle() {
        try {
            notIdle.invoke(endPoint);
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // looked up in of(); at worst Jetty's idle timeout ends a long body as it would a stalled one
        }
    }

    /** The generator's body count and the connection's byte count, as Jetty's own writes would have left them. */
    void moved(long body, long wire) throws ReflectiveOperationException {
        Fields.set(generator, "_contentPrepared", (long) Fields.get(generator, "_contentPrepared") + body);
        bytesOut.addAndGet(wire);
    }

    /** A failed write: Jetty closes the connection (never reused after a cut body). */
    void close(Throwable cause) {
        try {
            Fields.method(endPoint.getClass(), "close", 1).invoke(endPoint, cause);
        } catch (InvocationTargetException | IllegalAccessException | NoSuchMethodException | RuntimeException ignored) {
            // the exception still reaches the servlet; Jetty aborts a committed response that fails
        }
    }

    /**
     * The exception Jetty's end point raises for a failed write: its {@code EofException} around the
     * socket's error (the class is the application's, from {@code loader}); a write timeout stays a timeout.
     */
    static java.io.IOException asJettys(java.io.IOException e, ClassLoader loader) {
        if (e instanceof java.net.SocketTimeoutException) {
            return e;
        }
        try {
            Class<?> eof = Class.forName("org.eclipse.jetty.io.EofException", false, loader);
            return (java.io.IOException) eof.getConstructor(Throwable.class).newInstance(e);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError notThere) {
            return e;
        }
    }
}
