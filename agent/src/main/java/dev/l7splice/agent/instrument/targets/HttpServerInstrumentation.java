package dev.l7splice.agent.instrument.targets;

import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.Target;

/** {@code com.sun.net.httpserver} response bodies as sinks ({@code ends.HttpServerSink}). */
public final class HttpServerInstrumentation extends Target {

    public HttpServerInstrumentation() {
        super("httpserver", Phase.ENDS);
    }

    @Override
    public void install(Installation at) {
        at.ends.enable(name());
    }
}
