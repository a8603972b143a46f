package dev.l7splice.agent.instrument.targets;

import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.MethodHook;
import dev.l7splice.agent.instrument.Target;
import java.util.List;

/**
 * Targets: Apache HttpClient 5 classic's response entity, httpcore5's {@code
 * org.apache.hc.core5.http.impl.io.support.IncomingHttpEntity}. Its {@code writeTo(out)} copies its
 * {@code content} stream (the body's {@code ContentLengthInputStream}, {@code ChunkedInputStream} or
 * {@code IdentityInputStream}) into {@code out} with a 4 KiB loop of its own and closes the stream
 * (httpcore5 5.4.4, via {@code AbstractHttpEntity.writeTo(entity, out)}); the client's wrapper
 * ({@code ResponseEntityProxy.writeTo}) then releases the connection. The prologue offers the same
 * copy to the dispatch first ({@link dev.l7splice.agent.bootstrap.LibraryEntries#httpEntityWriteTo});
 * when it is taken, the stream is closed as the library closes it, also after a failure, and the
 * library's loop is skipped. Wrappers ({@code HttpEntityWrapper}) delegate to this method, so they
 * reach it too. The class must declare {@code InputStream content} itself, or it is left unchanged.
 */
public final class HttpEntityWriteToInstrumentation extends Target {

    public static final String TYPE = "org.apache.hc.core5.http.impl.io.support.IncomingHttpEntity";
    /**
     * HttpClient 4.5's response entity, httpcore 4.4's {@code org.apache.http.entity.BasicHttpEntity}:
     * its {@code writeTo(out)} copies its {@code content} the same way and closes it (4.4.16); its
     * wrapper (4.5's {@code ResponseEntityProxy}) then releases the connection. The same hook fits.
     */
    public static final String TYPE_4 = "org.apache.http.entity.BasicHttpEntity";

    public HttpEntityWriteToInstrumentation() {
        super("httpclient", Phase.ENDS);
    }

    @Override
    public void install(Installation at) throws Exception {
        at.ends.enable(name()); // the response bodies as sources (sources.HttpClientStreams)
        at.weaveByName(TYPE, hooks());
        at.weaveByName(TYPE_4, hooks());
    }

    public static List<MethodHook> hooks() {
        return List.of(MethodHook.library("writeTo", "(Ljava/io/OutputStream;)V",
                "httpEntityWriteTo", "(Ljava/io/InputStream;Ljava/io/OutputStream;)Z",
                MethodHook.Outcome.RETURN_IF_TRUE, "this.content", "0"));
    }
}
