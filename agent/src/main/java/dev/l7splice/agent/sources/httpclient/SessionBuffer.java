package dev.l7splice.agent.sources.httpclient;

import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.runtime.AgentLog;
import java.util.Arrays;

/**
 * Apache HttpClient's classic {@code SessionInputBufferImpl}, the connection's read-ahead of the
 * bytes after the response head: {@code buffer[bufferPos..bufferLen)} are unread; its {@code metrics}
 * (a {@code BasicHttpTransportMetrics}) count the bytes the connection read from its socket. Read
 * and written by field name (httpcore5 5.4.4, the version httpclient5 5.6.5 uses; and httpcore 4.4.16's
 * {@code org.apache.http.impl.io.SessionInputBufferImpl}, under HttpClient 4.5, whose fields have the same
 * names, its metrics a {@code HttpTransportMetricsImpl}). HttpClient keeps no lock here: a leased connection belongs to the one thread that reads its
 * response, which is the calling thread.
 */
final class SessionBuffer {

    static final String TYPE = "org.apache.hc.core5.http.impl.io.SessionInputBufferImpl";

    private final Object buffer;

    SessionBuffer(Object buffer) {
        this.buffer = buffer;
    }

    /** Up to {@code max} unread bytes, taken out of the buffer (the connection's next read starts after them). */
    byte[] take(long max) throws ReflectiveOperationException {
        byte[] data = (byte[]) Fields.get(buffer, "buffer");
        int pos = (int) Fields.get(buffer, "bufferPos");
        int len = (int) Fields.get(buffer, "bufferLen");
        int n = (int) Math.min(Math.max(0, len - pos), Math.max(0, max));
        Fields.set(buffer, "bufferPos", pos + n);
        return Arrays.copyOfRange(data, pos, pos + n);
    }

    /**
     * When the buffer holds nothing, reads at most {@code max} bytes from the connection's socket into it,
     * as its own {@code fillBuffer} does (at its start, the metrics counted) but asking for less: a size line
     * the library's parser reads next then brings only a little chunk data into user space, not a whole
     * buffer of it. At end of stream the buffer stays empty and the parser's own read meets the end.
     */
    void fillSome(java.io.InputStream raw, int max) throws java.io.IOException, ReflectiveOperationException {
        if ((int) Fields.get(buffer, "bufferLen") > (int) Fields.get(buffer, "bufferPos")) {
            return;
        }
        byte[] data = (byte[]) Fields.get(buffer, "buffer");
        int n = raw.read(data, 0, Math.min(max, data.length));
        Fields.set(buffer, "bufferPos", 0);
        Fields.set(buffer, "bufferLen", Math.max(n, 0));
        readBelow(n);
    }

    /** {@code n} bytes were read from the connection's socket below the buffer: counted as the buffer's own reads count them. */
    void readBelow(long n) {
        if (n <= 0) {
            return;
        }
        try {
            Object metrics = Fields.get(buffer, "metrics");
            if (metrics != null) {
                Fields.method(metrics.getClass(), "incrementBytesTransferred", 1).invoke(metrics, n);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            AgentLog.debugOnce("httpclient-metrics", "could not count bytes in a connection's metrics: " + e);
        }
    }
}
