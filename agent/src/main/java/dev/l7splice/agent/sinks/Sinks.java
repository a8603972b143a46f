package dev.l7splice.agent.sinks;

import dev.l7splice.agent.ends.Refusals;
import dev.l7splice.agent.ends.SinkEnd;
import dev.l7splice.agent.sinks.helidon.HelidonResolver;
import dev.l7splice.agent.sinks.jetty.JettyResolver;
import dev.l7splice.agent.sinks.tomcat.TomcatResolver;
import java.io.OutputStream;

/**
 * The sink ends the agent knows, recognised by the exact class name of the stream the application
 * passes ({@code com.sun.net.httpserver}'s, Tomcat's, Jetty's and Helidon's response bodies), each behind its own
 * switch. {@link #recognised} is cheap (one class-name comparison per known type) because every
 * {@code transferTo} in the JVM may ask. Configured on the installer's thread before it is shared, then never changed; thread-safe.
 */
public final class Sinks {

    private final boolean httpServer;
    private final boolean tomcat;
    private final boolean jetty;
    private final boolean helidon;
    /** instrumentation.spring-wrappers.enabled: look through Spring's pass-through wrappers ({@link PassThroughStreams}) and MVC's lifecycle stream ({@link SpringLifecycle}). */
    private boolean springWrappers;

    /** {@code instrumentation.httpserver.enabled}, {@code instrumentation.tomcat.enabled}; Jetty off. */
    public Sinks(boolean httpServer, boolean tomcat) {
        this(httpServer, tomcat, false);
    }

    /** Same, with {@code instrumentation.jetty.enabled}. */
    public Sinks(boolean httpServer, boolean tomcat, boolean jetty) {
        this(httpServer, tomcat, jetty, false);
    }

    /** Same, with {@code instrumentation.helidon.enabled}. */
    public Sinks(boolean httpServer, boolean tomcat, boolean jetty, boolean helidon) {
        this.httpServer = httpServer;
        this.tomcat = tomcat;
        this.jetty = jetty;
        this.helidon = helidon;
    }

    /** instrumentation.helidon.enabled: also Helidon WebClient bodies as sources (the dispatch asks). */
    public boolean helidon() {
        return helidon;
    }

    /** Also recognise these sinks under Spring's pass-through wrappers; call before the instance is shared. */
    public Sinks lookingThroughSpringWrappers(boolean on) {
        this.springWrappers = on;
        return this;
    }

    /**
     * The type to name when {@code out} is not taken: the first stream below the pass-through
     * wrappers and Spring MVC's lifecycle stream, which is the one that stopped the agent (Spring's
     * wrappers name nothing useful).
     */
    public Class<?> typeToName(OutputStream out) {
        OutputStream below = server(out);
        return below == null ? out.getClass() : below.getClass();
    }

    /** {@code out}, or what a pass-through wrapper passes to (null: unreadable). */
    private OutputStream passThrough(OutputStream out) {
        return springWrappers && PassThroughStreams.isWrapper(out) ? PassThroughStreams.unwrap(out) : out;
    }

    /** The stream the sinks below test: below the pass-through wrappers and Spring's lifecycle stream (null: unreadable). */
    private OutputStream server(OutputStream out) {
        return belowLifecycle(passThrough(out));
    }

    /** {@code s} (no pass-through wrapper), or the stream below it when it is Spring MVC's lifecycle stream (null: unreadable). */
    private OutputStream belowLifecycle(OutputStream s) {
        return s != null && springWrappers && SpringLifecycle.isStream(s) ? SpringLifecycle.delegate(s) : s;
    }

    /** The server streams the sinks serve, one per sink. */
    private enum Kind { HTTP_SERVER, TOMCAT, JETTY, HELIDON }

    /** Which switched-on sink serves {@code server} (a stream below the wrappers; null: none), by class name. */
    private Kind kindOf(OutputStream server) {
        if (server == null) {
            return null;
        }
        String type = server.getClass().getName();
        if (httpServer && type.equals(HttpServerSink.STREAM)) {
            return Kind.HTTP_SERVER;
        }
        if (tomcat && type.equals(TomcatResolver.STREAM)) {
            return Kind.TOMCAT;
        }
        if (jetty && JettyResolver.isStream(type)) {
            return Kind.JETTY;
        }
        return helidon && type.equals(HelidonResolver.STREAM) ? Kind.HELIDON : null;
    }

    /**
     * {@code out} below the pass-through wrappers when one of the switched-on sinks serves the stream
     * there (or below Spring MVC's lifecycle stream there), else null. Give what it returns to
     * {@link #declaredLength} and {@link #resolve} in place of {@code out}: the wrappers are then read
     * once per copy, not three times (this runs for every {@code transferTo} into a server's stream).
     */
    public OutputStream recognised(OutputStream out) {
        OutputStream s = passThrough(out);
        return kindOf(belowLifecycle(s)) != null ? s : null;
    }

    /**
     * The length the response behind {@code out} (a recognised type) declares, or Long.MAX_VALUE when
     * it declares none or its sink has no cheap way to tell (Helidon): a few field
     * reads, no lock and no state check, so that a body too short to take costs no {@link #resolve}.
     * Never less than the room a resolved sink would give.
     */
    public long declaredLength(OutputStream out) {
        OutputStream server = server(out);
        Kind kind = kindOf(server);
        if (kind == null) {
            return Long.MAX_VALUE;
        }
        return switch (kind) {
            case HTTP_SERVER -> HttpServerSink.declaredLength(server);
            case TOMCAT -> TomcatResolver.declaredLength(server);
            case JETTY -> JettyResolver.declaredLength(server);
            case HELIDON -> Long.MAX_VALUE;
        };
    }

    /**
     * The sink end behind {@code out} (a recognised type), or null with the reason given to {@code refusals}.
     * Under Spring MVC's lifecycle stream the sink holds Spring's lock until its {@link SinkEnd#release()}.
     */
    public SinkEnd resolve(OutputStream out, Refusals refusals) {
        out = passThrough(out);
        if (out == null) {
            return null;
        }
        if (springWrappers && SpringLifecycle.isStream(out)) {
            return SpringLifecycle.resolve(out, s -> serverSink(s, refusals), refusals);
        }
        return serverSink(out, refusals);
    }

    private SinkEnd serverSink(OutputStream out, Refusals refusals) {
        Kind kind = kindOf(out);
        if (kind == null) {
            return null;
        }
        return switch (kind) {
            case HTTP_SERVER -> HttpServerSink.of(out, refusals);
            case TOMCAT -> TomcatResolver.of(out, refusals);
            case JETTY -> JettyResolver.of(out, refusals);
            case HELIDON -> HelidonResolver.of(out, refusals);
        };
    }
}
