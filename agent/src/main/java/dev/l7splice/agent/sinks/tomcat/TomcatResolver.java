package dev.l7splice.agent.sinks.tomcat;

import dev.l7splice.agent.ends.ChannelFds;
import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.ends.Refusals;
import dev.l7splice.agent.ends.SinkEnd;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;

/**
 * Finds the Tomcat 10.1/11 connection behind {@code response.getOutputStream()}, by field name on
 * the objects themselves: {@code CoyoteOutputStream.ob} (the servlet-level buffer) -> {@code
 * coyoteResponse} -> {@code outputBuffer}, an {@code Http11OutputBuffer} -> {@code socketWrapper},
 * an {@code NioEndpoint$NioSocketWrapper} -> {@code socket}, a plain {@code NioChannel} -> {@code sc},
 * the non-blocking {@code SocketChannel}. Touches nothing. Left to Tomcat, each with its reason:
 * TLS ({@code SecureNioChannel}), HTTP/2 and AJP (another output buffer), NIO2 (another wrapper),
 * a {@code WriteListener} (async I/O), a closed or suspended stream; once committed, also a
 * compression filter and bodiless responses (see {@link TomcatSink#readFilters()}).
 */
public final class TomcatResolver {

    public static final String STREAM = "org.apache.catalina.connector.CoyoteOutputStream";
    private static final String OUTPUT_BUFFER = "org.apache.catalina.connector.OutputBuffer";
    private static final String HTTP11 = "org.apache.coyote.http11.Http11OutputBuffer";
    private static final String NIO_WRAPPER = "org.apache.tomcat.util.net.NioEndpoint$NioSocketWrapper";
    private static final String NIO_CHANNEL = "org.apache.tomcat.util.net.NioChannel";

    private TomcatResolver() {
    }

    /** The sink behind a CoyoteOutputStream, or null with the reason given to {@code refusals}. */
    public static SinkEnd of(OutputStream out, Refusals refusals) {
        try {
            Object ob = Fields.get(out, "ob");
            if (ob == null || !ob.getClass().getName().equals(OUTPUT_BUFFER)) {
                return refuse(refusals, "tomcat-buffer:" + (ob == null ? "none" : ob.getClass().getName()));
            }
            if ((boolean) Fields.get(ob, "closed") || (boolean) Fields.get(ob, "suspended")) {
                return refuse(refusals, "tomcat-state");
            }
            Object response = Fields.get(ob, "coyoteResponse");
            if (Fields.get(response, "listener") != null) {
                return refuse(refusals, "tomcat-async-io");
            }
            Object http11 = Fields.get(response, "outputBuffer");
            if (http11 == null || !http11.getClass().getName().equals(HTTP11)) {
                return refuse(refusals, "tomcat-protocol:" + (http11 == null ? "none" : http11.getClass().getName()));
            }
            Object wrapper = Fields.get(http11, "socketWrapper");
            if (wrapper == null || !wrapper.getClass().getName().equals(NIO_WRAPPER)) {
                return refuse(refusals, "tomcat-connector:" + (wrapper == null ? "none" : wrapper.getClass().getName()));
            }
            Object nio = Fields.get(wrapper, "socket");
            if (nio == null || !nio.getClass().getName().equals(NIO_CHANNEL)) {
                String type = nio == null ? "none" : nio.getClass().getName();
                return refuse(refusals, type.endsWith(".SecureNioChannel") ? "tomcat-tls" : "tomcat-channel:" + type);
            }
            SocketChannel channel = (SocketChannel) Fields.get(nio, "sc");
            int fd = ChannelFds.fdOf(channel);
            if (fd < 0) {
                return refuse(refusals, "tomcat-state");
            }
            TomcatSink sink = new TomcatSink(out, ob, response, http11, wrapper, channel, fd);
            Fields.get(response, "contentWritten"); // the counters moved() updates, looked up now
            Fields.get(http11, "byteCount");
            String why = (boolean) Fields.get(response, "committed") ? sink.readFilters() : null;
            return why == null ? sink : refuse(refusals, why);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            refusals.refuse("tomcat-internals", e.toString());
            return null;
        }
    }

    /**
     * The response's declared length ({@code setContentLength}), read through three fields and no
     * state check, or Long.MAX_VALUE when none is declared or the shape is not Tomcat's: the cheap
     * first question for a body that may be too short to take ({@code sink.min-bytes}), so that
     * such a body costs no full resolution. An upper bound of what {@link #of} would give room for.
     */
    public static long declaredLength(OutputStream out) {
        try {
            Object ob = Fields.get(out, "ob");
            if (ob == null || !ob.getClass().getName().equals(OUTPUT_BUFFER)) {
                return Long.MAX_VALUE;
            }
            Object response = Fields.get(ob, "coyoteResponse");
            long declared = response == null ? -1 : (long) Fields.get(response, "contentLength");
            return declared < 0 ? Long.MAX_VALUE : declared;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Long.MAX_VALUE; // of() then says why
        }
    }

    private static SinkEnd refuse(Refusals refusals, String reason) {
        refusals.refuse(reason, null);
        return null;
    }
}
