package dev.l7splice.agent.sources.httpclient;

import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.sources.SocketBackedSource;
import dev.l7splice.agent.runtime.AgentLog;
import java.io.IOException;
import java.io.InputStream;

/**
 * An Apache HttpClient classic (5.x or 4.5) response body of a declared length ({@code ContentLengthInputStream})
 * or to end of stream ({@code IdentityInputStream}), over the connection's session buffer
 * ({@link SessionBuffer}) over a plain JDK socket. The buffer's unread bytes go first; every byte
 * taken for the body (held, copied, spliced) adds to the stream's {@code pos} as its own read adds
 * it, and to the connection's metrics, so the library sees a body read exactly that far: at the
 * declared length its next read answers -1, which lets the entity's {@code EofSensorInputStream}
 * release the pooled connection for reuse; a socket that ends early makes that read fail with the
 * library's own "Premature end of Content-Length delimited message body". The kernel never reads
 * past the declared length. The calling thread only (it holds the leased connection).
 */
final class HttpClientSource extends SocketBackedSource {

    private final InputStream stream;
    private final boolean bounded;
    private final SessionBuffer buffer;
    private final InputStream counted;

    HttpClientSource(InputStream stream, boolean bounded, SessionBuffer buffer, InputStream raw, Readable r) {
        super(r);
        this.stream = stream;
        this.bounded = bounded;
        this.buffer = buffer;
        this.counted = countingReads(raw);
    }

    /** What is left of the declared length, or Long.MAX_VALUE to end of stream. */
    @Override
    public long bound() {
        if (!bounded) {
            return Long.MAX_VALUE;
        }
        try {
            return Math.max(0, (long) Fields.get(stream, "contentLength") - (long) Fields.get(stream, "pos"));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0; // read when resolved: cannot happen; 0 keeps the kernel away
        }
    }

    @Override
    public byte[] takeHeld(long max) {
        try {
            byte[] held = buffer.take(Math.min(max, bound()));
            advance(held.length);
            return held;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The socket stream below the session buffer; what it reads counts as read by the body's stream. */
    @Override
    public InputStream stream() {
        return counted;
    }

    @Override
    /** Bytes read below the buffer (by the kernel or through {@link #stream()}): the body's position and the connection's metrics. */
    public void moved(long n) {
        advance(n);
        buffer.readBelow(n);
    }

    private void advance(long n) {
        if (!bounded || n <= 0) {
            return;
        }
        try {
            Fields.set(stream, "pos", (long) Fields.get(stream, "pos") + n);
        } catch (ReflectiveOperationException | RuntimeException e) {
            AgentLog.debugOnce("httpclient-pos", "could not count bytes in a response body's stream: " + e);
        }
    }
}
