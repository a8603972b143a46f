package dev.l7splice.agent.instrument.targets;

import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.Target;

/** {@code HttpURLConnection} response bodies as sources, plain HTTP ({@code sources.UrlConnectionSource}). */
public final class HttpUrlConnectionInstrumentation extends Target {

    public HttpUrlConnectionInstrumentation() {
        super("httpurlconnection", Phase.ENDS);
    }

    @Override
    public void install(Installation at) {
        at.ends.enable(name());
    }
}
