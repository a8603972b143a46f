package dev.l7splice.agent.sinks;

import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.ends.Refusals;
import dev.l7splice.agent.ends.SinkEnd;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Function;

/**
 * Spring MVC 7's async lifecycle stream, {@code StandardServletAsyncWebRequest$LifecycleServletOutputStream},
 * which Spring puts under every handler's response stream (checked with javap on spring-web 7.0.8). Each of
 * its writes is: {@code stamp = response.obtainLockOrRaiseException()} (no lock while the request is
 * synchronous, the request's lock while it is async, {@code AsyncRequestNotUsableException} once it
 * completed or failed), the same write on {@code delegate} (the server's stream), {@code
 * response.handleIOException(e, "ServletOutputStream failed to write")} on an IOException (state ERROR, the
 * exception Spring raises), {@code response.releaseLock(stamp)} in every case. The agent does the same
 * around a whole transfer ({@link LifecycleSink}): the lock is obtained once, before the sink below is
 * even read, and released once at the end; why that is no weaker than a loop of writes: {@link LifecycleSink}.
 *
 * <p>Matched by exact class name, its response by exact class name too; the methods are private or
 * package-private and reached through a private lookup (Spring's classes are in an unnamed module, open
 * to the agent). Any other shape: null with a {@code spring-lifecycle:<detail>} reason, before anything
 * is locked or written, so Spring's own code runs. Thread-safe (handles cached per class).
 */
final class SpringLifecycle {

    static final String PREFIX = "org.springframework.web.context.request.async.StandardServletAsyncWebRequest$";
    static final String STREAM = PREFIX + "LifecycleServletOutputStream";
    static final String RESPONSE = PREFIX + "LifecycleHttpServletResponse";
    /** The message Spring's own write passes to handleIOException. */
    static final String WRITE_FAILED = "ServletOutputStream failed to write";

    /** The three methods of one response class, or the reason they cannot be had. */
    record Handles(MethodHandle obtain, MethodHandle handleIOException, MethodHandle release, String missing) {
    }

    private static final ClassValue<Handles> HANDLES = new ClassValue<>() {
        @Override
        protected Handles computeValue(Class<?> type) {
            try {
                MethodHandles.Lookup l = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
                return new Handles(l.findVirtual(type, "obtainLockOrRaiseException", MethodType.methodType(int.class)),
                        l.findVirtual(type, "handleIOException", MethodType.methodType(void.class, IOException.class, String.class)),
                        l.findVirtual(type, "releaseLock", MethodType.methodType(void.class, int.class)), null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new Handles(null, null, null, e.toString());
            }
        }
    };

    private SpringLifecycle() {
    }

    static boolean isStream(OutputStream out) {
        return out.getClass().getName().equals(STREAM);
    }

    /** The server's stream below, for recognising and naming only (nothing locked); null when unreadable. */
    static OutputStream delegate(OutputStream lifecycle) {
        try {
            return Fields.get(lifecycle, "delegate") instanceof OutputStream d ? d : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Obtains the lock as Spring's write would, then resolves the sink below with {@code below}; the
     * returned sink holds the lock until its {@link SinkEnd#release()}. Null (lock not held, reason given)
     * when the shape is not Spring 7's, the request is no longer usable (Spring's code then runs, and its
     * first write raises exactly what it always did), or the stream below is not taken.
     */
    static SinkEnd resolve(OutputStream lifecycle, Function<OutputStream, SinkEnd> below, Refusals refusals) {
        Object response;
        OutputStream delegate;
        try {
            response = Fields.get(lifecycle, "response");
            delegate = Fields.get(lifecycle, "delegate") instanceof OutputStream d ? d : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            refusals.refuse("spring-lifecycle:fields", e.toString());
            return null;
        }
        if (response == null || delegate == null || !response.getClass().getName().equals(RESPONSE)) {
            refusals.refuse("spring-lifecycle:response", response == null ? "null" : response.getClass().getName());
            return null;
        }
        Handles h = HANDLES.get(response.getClass());
        if (h.missing() != null) {
            refusals.refuse("spring-lifecycle:methods", h.missing());
            return null;
        }
        int stamp;
        try {
            stamp = (int) h.obtain().invoke(response);
        } catch (IOException | RuntimeException e) { // AsyncRequestNotUsableException; Spring's "Not initialized"
            refusals.refuse("spring-lifecycle:not-usable", e.toString());
            return null;
        } catch (Throwable t) {
            throw asUnchecked(t);
        }
        SinkEnd sink = null;
        try {
            sink = below.apply(delegate);
            return sink == null ? null : new LifecycleSink(sink, lifecycle, response, h, stamp);
        } finally {
            if (sink == null) {
                release(h, response, stamp);
            }
        }
    }

    /** Spring's releaseLock (nothing for a synchronous request's stamp 0); on the thread that obtained it. */
    static void release(Handles h, Object response, int stamp) {
        try {
            h.release().invoke(response, stamp);
        } catch (Throwable t) {
            throw asUnchecked(t);
        }
    }

    static RuntimeException asUnchecked(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }
}
