package dev.l7splice.agent.transfer;

import dev.l7splice.agent.ends.Refusals;
import dev.l7splice.agent.ends.SinkEnd;
import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.sinks.Sinks;
import dev.l7splice.agent.sources.BufferedFileSource;
import dev.l7splice.agent.sources.SocketSource;
import dev.l7splice.agent.sources.helidon.HelidonClientStreams;
import dev.l7splice.agent.sources.httpclient.HttpClientStreams;
import dev.l7splice.agent.sources.urlconnection.UrlConnectionSource;
import dev.l7splice.agent.bootstrap.TransferHook;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Transfers whose destination is a server's response body ({@link Sinks}): the source end is
 * resolved (a file, a socket stream, an HttpURLConnection body), then the sink end, then {@link SinkTransfer} runs. Either end
 * not ours: NOT_HANDLED before a byte is touched, the reason counted. Thread-safe (no state of its own).
 */
final class SinkDispatch {

    private final SocketTransferHook hook;
    private final Sinks sinks;
    private final FileToSocket files;
    private final Refusals refusals;
    /** instrumentation.httpurlconnection.enabled: HttpURLConnection response bodies as sources. */
    private final boolean urlConnections;
    /** instrumentation.httpclient.enabled: Apache HttpClient 5 classic response bodies as sources. */
    private final boolean httpClient;

    SinkDispatch(SocketTransferHook hook, Sinks sinks, FileToSocket files, boolean urlConnections) {
        this(hook, sinks, files, urlConnections, false);
    }

    SinkDispatch(SocketTransferHook hook, Sinks sinks, FileToSocket files, boolean urlConnections, boolean httpClient) {
        this.hook = hook;
        this.sinks = sinks;
        this.files = files;
        this.urlConnections = urlConnections;
        this.httpClient = httpClient;
        this.refusals = hook::refuse;
    }

    /** The type a sink-unsupported reason names for {@code out} (below pass-through wrappers). */
    Class<?> typeToName(OutputStream out) {
        return sinks.typeToName(out);
    }

    /**
     * True when {@code in} is a client library's body this dispatch takes as a source (HttpURLConnection,
     * HttpClient): a copy of one into a stream no sink serves is then named as sink-unsupported. Cheap.
     */
    boolean takesSource(InputStream in) {
        return urlConnections && in.getClass().getName().equals(UrlConnectionSource.STREAM)
                || httpClient && HttpClientStreams.recognises(in);
    }

    /** Cheap: class-name tests on {@code out} and below its pass-through wrappers ({@link Sinks#recognised}). */
    OutputStream recognised(OutputStream out) {
        return sinks.recognised(out);
    }

    /** {@code out}: what {@link #recognised} returned, not null. */
    long transfer(InputStream in, OutputStream out, long limit) throws IOException {
        if (SinkTransfer.leftToApplication(hook, Math.min(limit, sinks.declaredLength(out)))) {
            // The response declares a length too short to take: left before either end is
            // resolved (a short body's whole cost here is then a few field reads).
            return TransferHook.NOT_HANDLED;
        }
        SourceEnd src;
        if (FileToSocket.isFileSource(in.getClass())) {
            src = files.source(in);
        } else if (BufferedFileSource.isCandidate(in)) {
            src = BufferedFileSource.of(in, files.source(BufferedFileSource.inner(in)));
        } else if (SocketSource.isCandidate(in)) {
            src = SocketSource.of(hook, in);
        } else if (urlConnections && in.getClass().getName().equals(UrlConnectionSource.STREAM)) {
            src = UrlConnectionSource.of(hook, in);
        } else if (httpClient && HttpClientStreams.recognises(in)) {
            src = HttpClientStreams.of(hook, in);
        } else if (sinks.helidon() && HelidonClientStreams.recognises(in)) {
            src = HelidonClientStreams.of(hook, in);
        } else {
            src = null;
            hook.unsupported("source-unsupported:", in.getClass());
        }
        if (src == null) {
            return TransferHook.NOT_HANDLED;
        }
        if (SinkTransfer.leftToApplication(hook, Math.min(limit, src.bound()))) {
            // Short whatever the sink's room: left before the sink is resolved, which would cost
            // this request a framework lock and the server's fields read by reflection for nothing.
            return TransferHook.NOT_HANDLED;
        }
        if (SocketTransferHook.wouldPin()) {
            return hook.fallback("virtual-thread");
        }
        SinkEnd sink = sinks.resolve(out, refusals);
        if (sink == null) {
            return TransferHook.NOT_HANDLED;
        }
        try {
            return SinkTransfer.run(hook, in, src, sink, limit);
        } finally {
            sink.release(); // a framework lock taken by resolve (Spring MVC's lifecycle stream)
        }
    }
}
