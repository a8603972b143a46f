package dev.l7splice.agent.sinks.jetty;

import dev.l7splice.agent.ends.Fields;
import java.lang.reflect.Method;

/**
 * The two body counts of a Jetty 12 servlet response, each under the lock Jetty itself takes for it:
 * the servlet stream's {@code HttpOutput._written} (against {@code _applicationContentLength}: what
 * the servlet may still write), guarded by its {@code ServletChannelState._lock}, and the core
 * response's {@code ChannelResponse._contentBytesWritten} (the request log's count, checked against
 * the committed Content-Length at each write and at completion), guarded by the request's {@code
 * _lock}. Both locks are Jetty's {@code AutoLock} ({@code lock()} returns it held, {@code close()}
 * releases). Every handle is looked up when built; used on the request's thread.
 */
final class JettyCounts {

    private final Object out;
    private final Object response;
    private final Object channelState;
    private final Object servletLock;
    private final Object requestLock;
    private final Method lock;

    JettyCounts(Object out, Object response, Object request, Object channelState) throws ReflectiveOperationException {
        this.out = out;
        this.response = response;
        this.channelState = channelState;
        Fields.of(out.getClass(), "_written");
        Fields.of(out.getClass(), "_applicationContentLength");
        Fields.of(response.getClass(), "_contentBytesWritten");
        Fields.of(channelState.getClass(), "_committedContentLength");
        servletLock = Fields.get(Fields.get(out, "_channelState"), "_lock");
        requestLock = Fields.get(request, "_lock");
        lock = Fields.method(servletLock.getClass(), "lock", 0);
    }

    /** The servlet's declared length ({@code setContentLengthLong}), or -1. */
    long declared() throws ReflectiveOperationException {
        return (long) Fields.get(out, "_applicationContentLength");
    }

    /** What the declared length still allows, or Long.MAX_VALUE without one. */
    long room() throws ReflectiveOperationException {
        long declared = declared();
        return declared < 0 ? Long.MAX_VALUE : Math.max(0, declared - (long) Fields.get(out, "_written"));
    }

    /** True when the core response's committed length leaves as much room as the servlet stream's: nothing wrote around it. */
    boolean agree() throws ReflectiveOperationException {
        return (long) Fields.get(channelState, "_committedContentLength")
                - (long) Fields.get(response, "_contentBytesWritten") == room();
    }

    void add(long body) throws Exception {
        try (AutoCloseable held = (AutoCloseable) lock.invoke(servletLock)) {
            Fields.set(out, "_written", (long) Fields.get(out, "_written") + body);
        }
        try (AutoCloseable held = (AutoCloseable) lock.invoke(requestLock)) {
            Fields.set(response, "_contentBytesWritten", (long) Fields.get(response, "_contentBytesWritten") + body);
        }
    }
}
