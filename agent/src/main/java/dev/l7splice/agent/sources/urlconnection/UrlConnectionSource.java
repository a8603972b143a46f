package dev.l7splice.agent.sources.urlconnection;

import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.ends.SourceEnd;
import dev.l7splice.agent.sources.Fallbacks;
import dev.l7splice.agent.sources.HeldBytes;
import dev.l7splice.agent.sources.SocketBackedSource;
import dev.l7splice.agent.sources.SocketSource;
import dev.l7splice.agent.runtime.JdkSockets;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * An {@code HttpURLConnection} response body, plain HTTP: {@code getInputStream()} is an {@code
 * HttpURLConnection$HttpInputStream} over the connection's stream, which is, for a declared length,
 * a {@code KeepAliveStream} (or a {@code MeteredStream} when the connection closes afterwards) over
 * the client's {@code BufferedInputStream} over the socket, and to end of stream that buffer itself
 * ({@link SocketSource}). Taken only without a response cache, mark or progress monitor. Read by
 * field name (java.base's sun.net.www packages opened to the agent by the installer).
 *
 * <p>A declared length bounds the transfer, so no byte of what follows leaves the socket, and the
 * metered stream's {@code count} grows by every byte taken for it (held, copied, spliced), under its
 * lock; at {@code expected} it is closed as its own read would close it, which gives a keep-alive
 * connection back to the JDK's cache. A failed kernel part closes the connection instead
 * ({@code HttpClient.closeServer}), so a half-read body is never reused. The calling thread only.
 */
public final class UrlConnectionSource extends SocketBackedSource {

    public static final String STREAM = "sun.net.www.protocol.http.HttpURLConnection$HttpInputStream";
    private static final String METERED = "sun.net.www.MeteredStream";
    private static final String KEEP_ALIVE = "sun.net.www.http.KeepAliveStream";

    private final FilterInputStream metered;
    private final BufferedInputStream buffer;
    private final InputStream counted;
    private final MeteredCount count;

    private UrlConnectionSource(FilterInputStream metered, BufferedInputStream buffer, InputStream raw, Readable r) {
        super(r);
        this.metered = metered;
        this.buffer = buffer;
        this.count = new MeteredCount(metered);
        this.counted = countingReads(raw);
    }

    /** The source behind an HttpInputStream, or null with the reason counted. */
    public static SourceEnd of(Fallbacks hook, InputStream in) {
        try {
            if (Fields.get(in, "cacheRequest") != null || (boolean) Fields.get(in, "marked")
                    || (boolean) Fields.get(in, "closed")) {
                hook.fallback("httpurlconnection-state");
                return null;
            }
            InputStream inner = (InputStream) Fields.of(FilterInputStream.class, "in").get(in);
            if (inner != null && inner.getClass() == BufferedInputStream.class) {
                return SocketSource.isCandidate(inner) ? SocketSource.of(hook, inner) : null; // to end of stream
            }
            String type = inner == null ? "none" : inner.getClass().getName();
            if (type.equals(ChunkedStreamState.STREAM)) {
                return chunked(hook, inner);
            }
            if (!type.equals(KEEP_ALIVE) && !type.equals(METERED)) {
                hook.unsupported("source-unsupported:", inner == null ? in.getClass() : inner.getClass());
                return null;
            }
            if ((boolean) Fields.get(inner, "closed") || progressMonitored(inner)
                    || (int) Fields.get(inner, "markLimit") >= 0) {
                hook.fallback("httpurlconnection-state");
                return null;
            }
            Object buffer = Fields.of(FilterInputStream.class, "in").get(inner);
            InputStream raw = buffer != null && buffer.getClass() == BufferedInputStream.class
                    ? JdkSockets.innerOf((BufferedInputStream) buffer) : null;
            if (raw == null || raw.getClass() != JdkSockets.socketIn) {
                hook.unsupported(raw == null && buffer != null && buffer.getClass().getName().startsWith("sun.security.ssl.")
                        ? "ssl" : "source-unsupported:", raw == null ? (buffer == null ? inner : buffer).getClass() : raw.getClass());
                return null;
            }
            Socket s = JdkSockets.socketOfInput(raw);
            Readable r = readable(hook, s);
            if (r == null) {
                return null;
            }
            return new UrlConnectionSource((FilterInputStream) inner, (BufferedInputStream) buffer, raw, r);
        } catch (ReflectiveOperationException | RuntimeException e) {
            hook.refuse("httpurlconnection-internals", e.toString());
            return null;
        }
    }

    /** A chunked body: the ChunkedInputStream's own {@code in} is the client's buffer over the socket. */
    private static SourceEnd chunked(Fallbacks hook, InputStream cis) throws ReflectiveOperationException {
        String refusal = ChunkedStreamState.refusal(cis);
        if (refusal != null) {
            hook.fallback(refusal);
            return null;
        }
        Object buffer = Fields.get(cis, "in");
        InputStream raw = buffer != null && buffer.getClass() == BufferedInputStream.class
                ? JdkSockets.innerOf((BufferedInputStream) buffer) : null;
        if (raw == null || raw.getClass() != JdkSockets.socketIn) {
            hook.unsupported("source-unsupported:", raw == null ? cis.getClass() : raw.getClass());
            return null;
        }
        Socket s = JdkSockets.socketOfInput(raw);
        Readable r = readable(hook, s);
        if (r == null) {
            return null;
        }
        return new ChunkedUrlSource(cis, (BufferedInputStream) buffer, raw, r);
    }

    /** What is left of the declared length. */
    @Override
    public long bound() {
        try {
            return Math.max(0, (long) Fields.get(metered, "expected") - (long) Fields.get(metered, "count"));
        } catch (ReflectiveOperationException e) {
            return 0; // read in of(): cannot happen; 0 keeps the kernel away
        }
    }

    @Override
    public byte[] takeHeld(long max) {
        byte[] held = HeldBytes.take(buffer, Math.min(max, bound()));
        if (held != null) {
            count.add(held.length);
        }
        return held;
    }

    /** The socket stream below the client's buffer; what it reads counts as read by the metered stream. */
    @Override
    public InputStream stream() {
        return counted;
    }

    @Override
    public void moved(long n) {
        count.add(n);
    }

    @Override
    public void failed() {
        count.closeConnection();
    }

    /** JDK 17 can report progress from a metered stream (a ProgressSource, updated by its reads); JDK 25 has none. */
    private static boolean progressMonitored(Object metered) throws ReflectiveOperationException {
        try {
            return Fields.get(metered, "pi") != null;
        } catch (NoSuchFieldException e) {
            return false;
        }
    }
}
