package dev.l7splice.agent.ends;

import java.io.OutputStream;

/**
 * The sink ends the agent knows, recognised by the exact class name of the stream the application
 * passes ({@code com.sun.net.httpserver}'s, Tomcat's and Jetty's response bodies), each behind its own
 * switch. {@link #recognises} is cheap (one class-name comparison per known type) because every
 * {@code transferTo} in the JVM may ask. Immutable; thread-safe.
 */
public final class Sinks {

    private final boolean httpServer;
    private final boolean tomcat;
    private final boolean jetty;

    /** {@code instrumentation.httpserver.enabled}, {@code instrumentation.tomcat.enabled}; Jetty off. */
    public Sinks(boolean httpServer, boolean tomcat) {
        this(httpServer, tomcat, false);
    }

    /** Same, with {@code instrumentation.jetty.enabled}. */
    public Sinks(boolean httpServer, boolean tomcat, boolean jetty) {
        this.httpServer = httpServer;
        this.tomcat = tomcat;
        this.jetty = jetty;
    }

    /** True when {@code out} is a stream type one of the switched-on sinks serves. */
    public boolean recognises(OutputStream out) {
        String type = out.getClass().getName();
        return httpServer && type.equals(HttpServerSink.STREAM) || tomcat && type.equals(TomcatResolver.STREAM)
                || jetty && JettyResolver.isStream(type);
    }

    /** The sink end behind {@code out} (a recognised type), or null with the reason given to {@code refusals}. */
    public SinkEnd resolve(OutputStream out, Refusals refusals) {
        String type = out.getClass().getName();
        if (httpServer && type.equals(HttpServerSink.STREAM)) {
            return HttpServerSink.of(out, refusals);
        }
        if (tomcat && type.equals(TomcatResolver.STREAM)) {
            return TomcatResolver.of(out, refusals);
        }
        if (jetty && JettyResolver.isStream(type)) {
            return JettyResolver.of(out, refusals);
        }
        return null;
    }
}
