package dev.l7splice.agent.core;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SocketChannel;

/**
 * The response body of a {@code com.sun.net.httpserver} exchange with a fixed length, seen as a
 * socket fd plus the server's own accounting. {@code exchange.getResponseBody()} is a
 * {@code PlaceholderOutputStream} whose {@code wrapped} stream is a {@code FixedLengthOutputStream}
 * over the connection's raw stream: on JDK 17 the {@code Request$WriteStream} itself, on JDK 25 a
 * {@code BufferedOutputStream} over it (which may still hold the response head: flushed first).
 * The write stream's {@code channel} is the connection's {@code SocketChannelImpl}.
 *
 * <p>Classes are matched by name on the instances the application passes; the agent never loads
 * jdk.httpserver. Field handles are resolved once, from the first instance's classes; any surprise
 * (a filter's own stream, HTTPS, chunked or unknown length, a closed stream) means "not ours".
 * Callers move at most {@link #room()} bytes, then {@link #sent(long)} lowers the server's
 * {@code remaining}, so {@code close()} and keep-alive work as if the JDK's loop had written them.
 */
final class HttpServerSink {

    private static final String PKG = "sun.net.httpserver.";
    private static volatile Handles handles;

    private final Object fixed;
    private final OutputStream raw;
    final SocketChannel channel;
    final int fd;

    private HttpServerSink(Object fixed, OutputStream raw, SocketChannel channel, int fd) {
        this.fixed = fixed;
        this.raw = raw;
        this.channel = channel;
        this.fd = fd;
    }

    /** A cheap first test: a socket source (maybe buffered) and an httpserver body stream by name. */
    static boolean isCandidate(java.io.InputStream in, OutputStream out) {
        Class<?> type = in.getClass();
        return (type == JdkSockets.socketIn || type == java.io.BufferedInputStream.class)
                && out.getClass().getName().equals(PKG + "PlaceholderOutputStream");
    }

    /** The sink behind {@code out}, or null when {@code out} is anything else. Cheap for other streams. */
    static HttpServerSink of(OutputStream out) {
        if (!out.getClass().getName().equals(PKG + "PlaceholderOutputStream")) {
            return null;
        }
        try {
            Handles h = handles;
            if (h == null) {
                h = new Handles(out.getClass().getClassLoader());
                handles = h;
            }
            Object fixed = h.wrapped.get(out);
            if (fixed == null || fixed.getClass() != h.fixedType || (boolean) h.fixedClosed.get(fixed)) {
                return null;
            }
            OutputStream raw = (OutputStream) h.filterOut.get(fixed);
            OutputStream write = raw != null && raw.getClass() == BufferedOutputStream.class
                    ? (OutputStream) h.filterOut.get(raw) : raw;
            if (write == null || write.getClass() != h.writeType || (boolean) h.writeClosed.get(write)) {
                return null;
            }
            SocketChannel ch = (SocketChannel) h.channel.get(write);
            if (ch == null || !ch.isOpen() || ch.getClass() != h.channelType) {
                return null;
            }
            int fd = (int) h.channelFd.get(ch);
            return fd < 0 ? null : new HttpServerSink(fixed, raw, ch, fd);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            AgentLog.debugOnce("httpserver-internals", "httpserver bodies stay with the JDK: " + e);
            return null;
        }
    }

    /** Bytes the response may still carry. */
    long room() {
        return (long) handles.remaining.get(fixed);
    }

    /** Pushes out what the server buffered (the response head on JDK 25) before the first kernel byte. */
    void flushHead() throws java.io.IOException {
        raw.flush();
    }

    /** The server's accounting after {@code n} bytes went out under it. Caller's thread only, as the JDK's writes. */
    void sent(long n) {
        handles.remaining.set(fixed, room() - n);
    }

    /** VarHandles into jdk.httpserver and sun.nio.ch, built once from the loader that defined the server's classes. */
    private static final class Handles {
        final Class<?> fixedType;
        final Class<?> writeType;
        final Class<?> channelType;
        final VarHandle wrapped;
        final VarHandle fixedClosed;
        final VarHandle remaining;
        final VarHandle filterOut;
        final VarHandle writeClosed;
        final VarHandle channel;
        final VarHandle channelFd;

        Handles(ClassLoader loader) throws ReflectiveOperationException {
            Class<?> placeholder = Class.forName(PKG + "PlaceholderOutputStream", false, loader);
            fixedType = Class.forName(PKG + "FixedLengthOutputStream", false, loader);
            writeType = Class.forName(PKG + "Request$WriteStream", false, loader);
            channelType = Class.forName("sun.nio.ch.SocketChannelImpl", false, null);
            wrapped = field(placeholder, "wrapped", OutputStream.class);
            fixedClosed = field(fixedType, "closed", boolean.class);
            remaining = field(fixedType, "remaining", long.class);
            filterOut = field(FilterOutputStream.class, "out", OutputStream.class);
            writeClosed = field(writeType, "closed", boolean.class);
            channel = field(writeType, "channel", SocketChannel.class);
            channelFd = field(channelType, "fdVal", int.class);
        }

        private static VarHandle field(Class<?> owner, String name, Class<?> type) throws ReflectiveOperationException {
            return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, type);
        }
    }
}
