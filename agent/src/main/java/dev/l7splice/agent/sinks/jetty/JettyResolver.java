package dev.l7splice.agent.sinks.jetty;

import dev.l7splice.agent.ends.ChannelFds;
import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.ends.Refusals;
import dev.l7splice.agent.ends.SinkEnd;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;

/**
 * Finds the Jetty 12 connection behind {@code response.getOutputStream()} (ee10 or ee11, the same
 * shape), by field name on the objects themselves: {@code HttpOutput._servletChannel._response}, a
 * {@code ServletContextResponse} whose {@code _wrapped} is the core {@code ChannelResponse} (nothing
 * between them) -> {@code _request._httpChannelState._stream} (through {@code CompletionStreamWrapper}s,
 * which only add listeners, and a session handler's {@code SessionStreamWrapper}), an {@code HttpStreamOverHTTP1} ->
 * its {@code HttpConnection} -> {@code _endPoint}, a {@code SocketChannelEndPoint} -> {@code _channel},
 * the non-blocking {@code SocketChannel}. Touches nothing. Left to Jetty, each with its reason: a
 * {@code WriteListener} or an async state ({@code jetty-async-io}), a closed or failed stream, a core
 * response wrapper such as a compression handler's ({@code jetty-response:<class>}), HTTP/2 and other
 * streams ({@code jetty-protocol:<class>}), TLS ({@code jetty-tls}), HEAD ({@code jetty-head}).
 * Called on the request's thread, which owns these objects while the servlet writes.
 */
public final class JettyResolver {

    private static final String EE10 = "org.eclipse.jetty.ee10.servlet.";
    private static final String EE11 = "org.eclipse.jetty.ee11.servlet.";
    private static final String CHANNEL_RESPONSE = "org.eclipse.jetty.server.internal.HttpChannelState$ChannelResponse";
    /** Adds completion listeners only (its writes pass straight through): looked through. */
    private static final String COMPLETION_WRAPPER = "org.eclipse.jetty.server.internal.CompletionStreamWrapper";
    /**
     * A session handler's (Spring Boot's Jetty context has one): its send commits the session before a send
     * that carries the response head, then passes every send on unchanged (jetty-session 12.1.14, javap);
     * the head always goes through Jetty's own flush before the kernel writes, so it is looked through too.
     */
    private static final String SESSION_WRAPPER = "org.eclipse.jetty.session.AbstractSessionManager$SessionStreamWrapper";
    private static final String HTTP1_STREAM = "org.eclipse.jetty.server.internal.HttpConnection$HttpStreamOverHTTP1";
    private static final String HTTP1 = "org.eclipse.jetty.server.internal.HttpConnection";
    private static final String SOCKET_END_POINT = "org.eclipse.jetty.io.SocketChannelEndPoint";

    private JettyResolver() {
    }

    /** True for Jetty's servlet output stream (the only class-name test on the hot path). */
    public static boolean isStream(String type) {
        return type.endsWith(".servlet.HttpOutput") && (type.startsWith(EE10) || type.startsWith(EE11));
    }

    /** The sink behind an HttpOutput, or null with the reason given to {@code refusals}. */
    public static SinkEnd of(OutputStream out, Refusals refusals) {
        try {
            String pkg = out.getClass().getPackageName() + ".";
            if (Fields.get(out, "_writeListener") != null || !enumName(Fields.get(out, "_apiState")).equals("BLOCKING")) {
                return refuse(refusals, "jetty-async-io");
            }
            String state = enumName(Fields.get(out, "_state"));
            if (state.equals("CLOSED") && Fields.get(out, "_onError") == null) {
                // Jetty closed the stream at the declared length: the body is complete and Jetty's
                // own code has nothing to write either (seen on Java 25 for a 1-byte body).
                return refuse(refusals, "jetty-closed");
            }
            if (!state.equals("OPEN") || (boolean) Fields.get(out, "_softClose") || Fields.get(out, "_onError") != null) {
                return refuse(refusals, "jetty-state");
            }
            Object servletResponse = Fields.get(Fields.get(out, "_servletChannel"), "_response");
            if (!typeIs(servletResponse, pkg + "ServletContextResponse")) {
                return refuse(refusals, "jetty-response:" + typeOf(servletResponse));
            }
            Object response = Fields.get(servletResponse, "_wrapped");
            if (!typeIs(response, CHANNEL_RESPONSE)) {
                return refuse(refusals, "jetty-response:" + typeOf(response));
            }
            Object request = Fields.get(response, "_request");
            Object channelState = Fields.get(request, "_httpChannelState");
            Object stream = channelState == null ? null : Fields.get(channelState, "_stream");
            for (int i = 0; i < 8 && (typeIs(stream, COMPLETION_WRAPPER) || typeIs(stream, SESSION_WRAPPER)); i++) {
                stream = Fields.get(stream, "_wrapped");
            }
            if (!typeIs(stream, HTTP1_STREAM)) {
                return refuse(refusals, "jetty-protocol:" + typeOf(stream));
            }
            if ("HEAD".equals(Fields.get(stream, "_method"))) {
                return refuse(refusals, "jetty-head");
            }
            Object connection = Fields.get(stream, "this$0");
            if (!typeIs(connection, HTTP1)) {
                return refuse(refusals, "jetty-protocol:" + typeOf(connection));
            }
            Object endPoint = Fields.get(connection, "_endPoint");
            if (!typeIs(endPoint, SOCKET_END_POINT)) {
                String type = typeOf(endPoint);
                return refuse(refusals, type.contains(".ssl.") ? "jetty-tls" : "jetty-endpoint:" + type);
            }
            SocketChannel channel = (SocketChannel) Fields.get(endPoint, "_channel");
            int fd = ChannelFds.fdOf(channel);
            if (fd < 0) {
                return refuse(refusals, "jetty-state");
            }
            JettyConnection wire = JettyConnection.of(connection, endPoint);
            return new JettySink(out, new JettyCounts(out, response, request, channelState), wire, channel, fd);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            refusals.refuse("jetty-internals", e.toString());
            return null;
        }
    }

    /**
     * The servlet's declared length ({@code HttpOutput._applicationContentLength}, one field read),
     * or Long.MAX_VALUE when none is declared or unreadable: the cheap first question for a body
     * that may be too short to take, before the full resolution. An upper bound of the sink's room.
     */
    public static long declaredLength(OutputStream out) {
        try {
            long declared = (long) Fields.get(out, "_applicationContentLength");
            return declared < 0 ? Long.MAX_VALUE : declared;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Long.MAX_VALUE; // of() then says why
        }
    }

    private static boolean typeIs(Object o, String type) {
        return o != null && o.getClass().getName().equals(type);
    }

    private static String typeOf(Object o) {
        return o == null ? "none" : o.getClass().getName();
    }

    static String enumName(Object e) {
        return e == null ? "none" : ((Enum<?>) e).name();
    }

    private static SinkEnd refuse(Refusals refusals, String reason) {
        refusals.refuse(reason, null);
        return null;
    }
}
