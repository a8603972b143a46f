package dev.l7splice.agent.sinks.tomcat;

import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.ends.ChannelSink;
import dev.l7splice.agent.ends.Framing;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;

/**
 * A Tomcat servlet response body on the NIO connector, HTTP/1.1, plain, as {@link TomcatResolver}
 * found it; its framing is the output filter Tomcat chose at commit ({@link TomcatFilters}). The
 * caller's thread is the request's thread, which owns all these objects: nothing here is shared.
 */
final class TomcatSink extends ChannelSink {

    private final Object ob;
    private final Object response;
    private final Object http11;
    private final Object wrapper;
    private Object filter;
    private Framing framing;

    TomcatSink(OutputStream out, Object ob, Object response, Object http11, Object wrapper, SocketChannel channel,
               int fd) {
        super("tomcat", out, channel, fd);
        this.ob = ob;
        this.response = response;
        this.http11 = http11;
        this.wrapper = wrapper;
    }

    @Override
    public long room() {
        try {
            long declared = (long) Fields.get(response, "contentLength");
            return declared < 0 ? Long.MAX_VALUE : Math.max(0, declared - (long) Fields.get(ob, "bytesWritten"));
        } catch (ReflectiveOperationException e) {
            return 0; // looked up in of(): cannot happen; 0 keeps the kernel away
        }
    }

    /**
     * Not committed and no declared length: Tomcat still decides between Content-Length (the body
     * fits its buffer) and chunked (it does not). Its own stream sees one buffer and a byte, then it
     * has committed, so the framing on the wire is the one it would have chosen.
     */
    @Override
    public long ownerFirst() {
        try {
            boolean open = !(boolean) Fields.get(response, "committed") && (long) Fields.get(response, "contentLength") < 0;
            return open ? ((java.nio.ByteBuffer) Fields.get(ob, "bb")).capacity() + 1L : 0;
        } catch (ReflectiveOperationException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String flushOwner() throws IOException {
        out.flush(); // Tomcat's own flush: commits (writes the head), empties its buffers, blocks until written
        try {
            if (!(boolean) Fields.get(response, "committed") || (boolean) Fields.get(ob, "closed")
                    || !channel.isOpen()) {
                return "tomcat-state";
            }
            String why = readFilters();
            if (why == null && (boolean) Fields.method(wrapper.getClass(), "hasDataToWrite", 0).invoke(wrapper)) {
                why = "tomcat-state";
            }
            return why;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "tomcat-internals";
        }
    }

    /** Reads the filter chosen at commit; null when the kernel may write through it, else the reason. */
    String readFilters() throws ReflectiveOperationException {
        TomcatFilters.Active active = TomcatFilters.of(http11);
        filter = active.filter();
        framing = active.framing();
        return active.refusal();
    }

    @Override
    public Framing framing() {
        return framing;
    }

    /** The connector's write timeout (its blocking writes give up after it; -1 there means none). */
    @Override
    public long writeTimeoutMillis() {
        try {
            return Math.max(0, (long) Fields.get(wrapper, "writeTimeout"));
        } catch (ReflectiveOperationException e) {
            return 0;
        }
    }

    /** Tomcat's counts as its own writes would have left them: servlet bytes, content bytes, wire bytes, remaining. */
    @Override
    public void moved(long body, long wire) {
        try {
            Fields.set(ob, "bytesWritten", (long) Fields.get(ob, "bytesWritten") + body);
            Fields.set(response, "contentWritten", (long) Fields.get(response, "contentWritten") + body);
            Fields.set(http11, "byteCount", (long) Fields.get(http11, "byteCount") + wire);
            if (framing == Framing.FIXED) {
                Fields.set(filter, "remaining", (long) Fields.get(filter, "remaining") - body);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e); // each was read before the first kernel byte
        }
    }

    /** As Tomcat's OutputBuffer does when its byte count reaches a declared length below 2 GiB: it closes itself. */
    @Override
    public void bodyComplete() throws IOException {
        try {
            long declared = (long) Fields.get(response, "contentLength");
            if (declared >= 0 && declared < Integer.MAX_VALUE && (long) Fields.get(ob, "bytesWritten") >= declared) {
                Fields.method(ob.getClass(), "close", 0).invoke(ob);
            }
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IOException(e);
        }
    }

    /** What Tomcat's socket buffer does on a failed write: the connection is closed now, not reused. */
    @Override
    public IOException failed(IOException e) {
        try {
            java.lang.reflect.Method action = Fields.method(response.getClass(), "action", 2);
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object closeNow = Enum.valueOf((Class) action.getParameterTypes()[0], "CLOSE_NOW");
            action.invoke(response, closeNow, e);
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // the exception still reaches the servlet, which ends the response
        }
        return e;
    }
}
