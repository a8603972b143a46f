package dev.l7splice.agent.sinks.helidon;

import dev.l7splice.agent.ends.ChannelFds;
import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.ends.Refusals;
import dev.l7splice.agent.ends.SinkEnd;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;

/**
 * Finds the connection behind a Helidon 4 SE HTTP/1.1 response stream ({@code res.outputStream()},
 * also what its static-content handler copies files into), by field name on the objects
 * themselves: {@code Http1ServerResponse$ClosingBufferedOutputStream} -> {@code delegate} (exactly a
 * {@code BufferedOutputStream}, or nothing when the write buffer is off) and {@code closingDelegate},
 * the {@code Http1ServerResponse$BlockingOutputStream} -> {@code dataWriter}, a {@code
 * SocketWriterDirect} (the default, {@code write-queue-length} 0) -> {@code socket}, a {@code
 * NioSocket} (the default, {@code use-nio}) -> {@code delegate}, or a {@code PlainSocket} -> {@code
 * delegate}, the accepted channel's {@code SocketAdaptor} -> {@code sc}: the JDK's blocking {@code
 * SocketChannelImpl}. Touches nothing. Left to Helidon, each with its reason: TLS
 * ({@code helidon-tls}), a queued writer ({@code helidon-writer:<class>}), another socket ({@code
 * helidon-socket:<class>}), a send listener that would see the bytes ({@code helidon-listener:<class>},
 * such as its protocol log at TRACE), a closed stream or a bodiless status ({@code helidon-state}).
 * Compression, HTTP/2 and {@code streamFilter} wrappers are other stream classes: never recognised.
 * Helidon's classes must be on the class path (unnamed modules, open to the agent); on the module
 * path its packages are not open and the copy stays Helidon's ({@code helidon-internals}). Called on
 * the request's (virtual) thread, which owns these objects while the handler writes.
 */
public final class HelidonResolver {

    public static final String STREAM = "io.helidon.webserver.http1.Http1ServerResponse$ClosingBufferedOutputStream";
    private static final String BLOCKING = "io.helidon.webserver.http1.Http1ServerResponse$BlockingOutputStream";
    private static final String DIRECT_WRITER = "io.helidon.common.socket.SocketWriterDirect";
    private static final String NIO_SOCKET = "io.helidon.common.socket.NioSocket";
    private static final String PLAIN_SOCKET = "io.helidon.common.socket.PlainSocket";
    private static final java.util.Set<String> TLS = java.util.Set.of("io.helidon.common.socket.TlsNioSocket",
            "io.helidon.common.socket.TlsSocket");
    private static final String ADAPTOR = "sun.nio.ch.SocketAdaptor";

    private HelidonResolver() {
    }

    /** The sink behind a ClosingBufferedOutputStream, or null with the reason given to {@code refusals}. */
    public static SinkEnd of(OutputStream out, Refusals refusals) {
        try {
            Object bos = Fields.get(out, "closingDelegate");
            Object delegate = Fields.get(out, "delegate");
            BufferedOutputStream buffer = null;
            if (delegate != bos) {
                if (delegate == null || delegate.getClass() != BufferedOutputStream.class
                        || Fields.of(FilterOutputStream.class, "out").get((FilterOutputStream) delegate) != bos) {
                    return refuse(refusals, "helidon-internals");
                }
                buffer = (BufferedOutputStream) delegate;
            }
            if (!typeIs(bos, BLOCKING)) {
                return refuse(refusals, "helidon-internals");
            }
            if ((boolean) Fields.get(bos, "closed") || (boolean) Fields.get(bos, "closing")
                    || (boolean) Fields.get(bos, "isNoEntityStatus")) {
                return refuse(refusals, "helidon-state");
            }
            String listener = HelidonListeners.activeType(Fields.get(bos, "sendListener"));
            if (listener != null) {
                return refuse(refusals, "helidon-listener:" + listener);
            }
            Object writer = Fields.get(bos, "dataWriter");
            if (!typeIs(writer, DIRECT_WRITER)) {
                return refuse(refusals, "helidon-writer:" + typeOf(writer));
            }
            Object socket = Fields.get(writer, "socket");
            SocketChannel channel = channelOf(socket);
            if (channel == null) {
                String type = typeOf(socket);
                return refuse(refusals, TLS.contains(type) ? "helidon-tls" : "helidon-socket:" + type);
            }
            int fd = ChannelFds.fdOf(channel);
            if (fd < 0) {
                return refuse(refusals, "helidon-state");
            }
            return new HelidonSink(out, new HelidonStream(bos, buffer), channel, fd);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            refusals.refuse("helidon-internals", e.toString());
            return null;
        }
    }

    /**
     * The channel a plain Helidon socket writes to: a {@code NioSocket}'s own (the default, {@code
     * use-nio}; its write buffer only stages each write, drained before the write returns), or the
     * channel under a {@code PlainSocket}'s socket adaptor; null for any other socket.
     */
    private static SocketChannel channelOf(Object socket) throws ReflectiveOperationException {
        if (typeIs(socket, NIO_SOCKET)) {
            Object channel = Fields.get(socket, "delegate");
            return channel instanceof SocketChannel sc ? sc : null;
        }
        if (typeIs(socket, PLAIN_SOCKET)) {
            Object adaptor = Fields.get(socket, "delegate");
            return typeIs(adaptor, ADAPTOR) ? (SocketChannel) Fields.get(adaptor, "sc") : null;
        }
        return null;
    }

    static boolean typeIs(Object o, String type) {
        return o != null && o.getClass().getName().equals(type);
    }

    static String typeOf(Object o) {
        return o == null ? "none" : o.getClass().getName();
    }

    private static SinkEnd refuse(Refusals refusals, String reason) {
        refusals.refuse(reason, null);
        return null;
    }
}
