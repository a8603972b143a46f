package dev.l7splice.agent.sinks;

import dev.l7splice.agent.ends.ChannelFds;
import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.ends.ChannelSink;
import dev.l7splice.agent.ends.Framing;
import dev.l7splice.agent.ends.Refusals;
import dev.l7splice.agent.ends.SinkEnd;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;

/**
 * The response body of a {@code com.sun.net.httpserver} exchange with a fixed length. {@code
 * exchange.getResponseBody()} is a {@code PlaceholderOutputStream} whose {@code wrapped} stream is
 * a {@code FixedLengthOutputStream} ({@code remaining}, {@code closed}) over the connection's raw
 * stream: on JDK 17 the {@code Request$WriteStream} itself, on JDK 25 a {@code BufferedOutputStream}
 * over it (which may still hold the response head: flushed first). The write stream's {@code
 * channel} is the connection's {@code SocketChannelImpl}. Chunked and unknown lengths, HTTPS and a
 * filter's own stream are other classes there: not ours. Needs jdk.httpserver/sun.net.httpserver
 * opened to the agent (the installer does it); used on the exchange's thread only.
 */
final class HttpServerSink extends ChannelSink {

    static final String STREAM = "sun.net.httpserver.PlaceholderOutputStream";
    private static final String FIXED = "sun.net.httpserver.FixedLengthOutputStream";
    private static final String WRITE = "sun.net.httpserver.Request$WriteStream";

    private final Object fixed;
    private final OutputStream raw;

    private HttpServerSink(OutputStream out, Object fixed, OutputStream raw, SocketChannel channel, int fd) {
        super("httpserver", out, channel, fd);
        this.fixed = fixed;
        this.raw = raw;
    }

    /** The sink behind a PlaceholderOutputStream, or null (the reason given to {@code refusals}). */
    static SinkEnd of(OutputStream out, Refusals refusals) {
        try {
            Object fixed = Fields.get(out, "wrapped");
            if (fixed == null || !fixed.getClass().getName().equals(FIXED) || (boolean) Fields.get(fixed, "closed")) {
                return refuse(refusals, "httpserver-body:" + (fixed == null ? "none" : fixed.getClass().getName()));
            }
            OutputStream raw = (OutputStream) Fields.of(FilterOutputStream.class, "out").get(fixed);
            OutputStream write = raw != null && raw.getClass() == BufferedOutputStream.class
                    ? (OutputStream) Fields.of(FilterOutputStream.class, "out").get(raw) : raw;
            if (write == null || !write.getClass().getName().equals(WRITE) || (boolean) Fields.get(write, "closed")) {
                return refuse(refusals, "httpserver-connection");
            }
            SocketChannel ch = (SocketChannel) Fields.get(write, "channel");
            int fd = ChannelFds.fdOf(ch);
            if (fd < 0) {
                return refuse(refusals, "httpserver-connection");
            }
            Fields.get(fixed, "remaining"); // what moved() updates, looked up now
            return new HttpServerSink(out, fixed, raw, ch, fd);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            refusals.refuse("httpserver-internals", e.toString());
            return null;
        }
    }

    /**
     * What a fixed-length body may still carry ({@code wrapped.remaining}, two field reads), or
     * Long.MAX_VALUE for another body or an unreadable one: the cheap first question before {@link #of}.
     */
    static long declaredLength(OutputStream out) {
        try {
            Object fixed = Fields.get(out, "wrapped");
            return fixed != null && fixed.getClass().getName().equals(FIXED) ? (long) Fields.get(fixed, "remaining")
                    : Long.MAX_VALUE;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Long.MAX_VALUE; // of() then says why
        }
    }

    @Override
    public long room() {
        try {
            return (long) Fields.get(fixed, "remaining");
        } catch (ReflectiveOperationException e) {
            return 0; // looked up in of(): cannot happen; 0 keeps the kernel away
        }
    }

    /** The head (JDK 25 buffers it) and anything written so far go first. */
    @Override
    public String flushOwner() throws IOException {
        raw.flush();
        return channel.isOpen() ? null : "httpserver-connection";
    }

    @Override
    public Framing framing() {
        return Framing.FIXED;
    }

    /** The server's {@code remaining}, lowered as its own writes would, so close() and keep-alive see a whole body. */
    @Override
    public void moved(long body, long wire) {
        try {
            Fields.set(fixed, "remaining", (long) Fields.get(fixed, "remaining") - body);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e); // read in of(): cannot happen
        }
    }

    private static SinkEnd refuse(Refusals refusals, String reason) {
        refusals.refuse(reason, null);
        return null;
    }
}
