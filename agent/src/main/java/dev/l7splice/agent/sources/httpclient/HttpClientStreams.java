package dev.l7splice.agent.sources.httpclient;

import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.sources.Fallbacks;
import dev.l7splice.agent.sources.SocketBackedSource;
import dev.l7splice.agent.runtime.JdkSockets;
import java.io.InputStream;
import java.net.Socket;

/**
 * Recognises Apache HttpClient classic response bodies by class name (the agent never loads the
 * library), 5.x (httpcore5) and 4.5 (httpcore 4.4): what {@code response.getEntity().getContent()}
 * hands out, an {@code EofSensorInputStream} over the entity's content stream, or that content stream
 * itself (what an entity's {@code writeTo} copies from): a declared length, to end of stream, or chunked
 * ({@link HttpClientChunkedSource}). The content stream must sit on the
 * connection's {@code SessionInputBufferImpl} over a plain JDK socket stream (5.x: the stream's {@code
 * buffer} and {@code inputStream}; 4.4: its {@code in}, whose {@code inStream} is the socket's); a
 * closed stream, a wire-logging or TLS socket, or any other type keeps the library's code, the reason
 * counted. Stateless; thread-safe.
 */
public final class HttpClientStreams {

    static final String EOF_SENSOR = "org.apache.hc.core5.http.io.EofSensorInputStream";
    static final String CONTENT_LENGTH = "org.apache.hc.core5.http.impl.io.ContentLengthInputStream";
    static final String IDENTITY = "org.apache.hc.core5.http.impl.io.IdentityInputStream";
    static final String EOF_SENSOR_4 = "org.apache.http.conn.EofSensorInputStream";
    static final String CONTENT_LENGTH_4 = "org.apache.http.impl.io.ContentLengthInputStream";
    static final String IDENTITY_4 = "org.apache.http.impl.io.IdentityInputStream";
    static final String BUFFER_4 = "org.apache.http.impl.io.SessionInputBufferImpl";

    private HttpClientStreams() {
    }

    /** Cheap: class-name tests. */
    public static boolean recognises(InputStream in) {
        String type = in.getClass().getName();
        return type.startsWith("org.apache.") && (type.equals(EOF_SENSOR) || type.equals(CONTENT_LENGTH)
                || type.equals(IDENTITY) || type.equals(HttpClientChunkState.STREAM) || type.equals(HttpClientChunkState.STREAM_4)
                || type.equals(EOF_SENSOR_4) || type.equals(CONTENT_LENGTH_4) || type.equals(IDENTITY_4));
    }

    /** The source behind a recognised stream, or null with the reason counted. */
    public static SourceEnd of(Fallbacks hook, InputStream in) {
        try {
            InputStream body = in;
            if (in.getClass().getName().equals(EOF_SENSOR) || in.getClass().getName().equals(EOF_SENSOR_4)) {
                // Its read passes to wrappedStream while it is set and the sensor not closed, and
                // answers -1 / fails otherwise: only a live sensor's body is ours.
                if ((boolean) Fields.get(in, "selfClosed") || (body = (InputStream) Fields.get(in, "wrappedStream")) == null) {
                    hook.fallback("httpclient-state");
                    return null;
                }
            }
            String type = body.getClass().getName();
            boolean v4 = type.equals(CONTENT_LENGTH_4) || type.equals(IDENTITY_4) || type.equals(HttpClientChunkState.STREAM_4);
            boolean bounded = type.equals(CONTENT_LENGTH) || type.equals(CONTENT_LENGTH_4);
            boolean chunked = type.equals(HttpClientChunkState.STREAM) || type.equals(HttpClientChunkState.STREAM_4);
            if (!bounded && !chunked && !type.equals(IDENTITY) && !type.equals(IDENTITY_4)) {
                hook.unsupported("source-unsupported:", body.getClass());
                return null;
            }
            if ((boolean) Fields.get(body, "closed")) {
                hook.fallback("httpclient-state");
                return null;
            }
            Object buffer = Fields.get(body, v4 ? "in" : "buffer");
            if (buffer == null || !buffer.getClass().getName().equals(v4 ? BUFFER_4 : SessionBuffer.TYPE)) {
                hook.unsupported("source-unsupported:", buffer == null ? body.getClass() : buffer.getClass());
                return null;
            }
            InputStream raw = (InputStream) (v4 ? Fields.get(buffer, "inStream") : Fields.get(body, "inputStream"));
            if (raw == null || raw.getClass() != JdkSockets.socketIn) {
                String rawType = raw == null ? "none" : raw.getClass().getName();
                if (rawType.startsWith("sun.security.ssl.")) {
                    hook.fallback("ssl");
                } else {
                    hook.unsupported("source-unsupported:", raw == null ? body.getClass() : raw.getClass());
                }
                return null;
            }
            if (bounded) {
                Fields.get(body, "pos"); // the fields the source updates, looked up now
                Fields.get(body, "contentLength");
            }
            HttpClientChunkState parser = chunked ? HttpClientChunkState.of(body) : null;
            if (parser != null && (parser.eof() || parser.name().equals("CHUNK_INVALID")
                    || !parser.name().startsWith("CHUNK_"))) {
                hook.fallback("httpclient-state"); // at its end or failed: the library answers by itself
                return null;
            }
            Socket s = JdkSockets.socketOfInput(raw);
            SocketBackedSource.Readable r = SocketBackedSource.readable(hook, s);
            if (r == null) {
                return null;
            }
            if (parser != null) {
                return new HttpClientChunkedSource(in, parser, new SessionBuffer(buffer), raw, r);
            }
            return new HttpClientSource(body, bounded, new SessionBuffer(buffer), raw, r);
        } catch (ReflectiveOperationException | RuntimeException e) {
            hook.refuse("httpclient-internals", e.toString());
            return null;
        }
    }
}
