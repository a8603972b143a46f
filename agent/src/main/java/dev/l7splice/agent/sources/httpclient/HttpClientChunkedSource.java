package dev.l7splice.agent.sources.httpclient;

import dev.l7splice.agent.sources.ChunkReader;
import dev.l7splice.agent.sources.SocketBackedSource;
import dev.l7splice.agent.runtime.AgentLog;
import java.io.IOException;
import java.io.InputStream;

/**
 * A chunked Apache HttpClient classic (5.x or 4.5) response body: the library's {@code ChunkedInputStream}
 * over the connection's session buffer ({@link SessionBuffer}) over a plain JDK socket. All framing stays
 * the library's ({@link HttpClientChunkState}): {@link #span()} lets its own parser read the next CRLF and
 * size line (or the last chunk and the trailers) where its read would, and only the data of the chunk it
 * announced is taken here: the session buffer's unread bytes first (the parser read them along with its
 * line), then the kernel splices the rest of the chunk from the socket, never past it. Each byte moves
 * the stream's {@code pos} as its read does, so after the body the library's own state says "end of
 * stream", its next read answers -1 and the entity's sensor releases the pooled connection for reuse.
 *
 * <p>User-space copies read through the application's own stream ({@code owner}: the entity's
 * {@code EofSensorInputStream}, or the chunked stream when the entity's {@code writeTo} copies): the
 * library then reads and fails by itself. A socket ending inside a chunk is read once more through that
 * stream, so the library raises its own {@code TruncatedChunkException} and the sensor aborts the
 * connection, as without the agent; a bad size line raises the parser's own exception. Any other failure
 * of the kernel part marks the stream invalid and aborts the connection as the sensor does when its read
 * fails. The calling thread only (it holds the leased connection).
 */
final class HttpClientChunkedSource extends SocketBackedSource {

    static final String SENSOR = HttpClientStreams.EOF_SENSOR;
    static final String SENSOR_4 = HttpClientStreams.EOF_SENSOR_4;

    private final InputStream owner;
    private final HttpClientChunkState parser;
    private final SessionBuffer buffer;
    private final InputStream raw;

    /** {@code raw}: the socket stream the session buffer fills from (the one the library's parser reads through). */
    HttpClientChunkedSource(InputStream owner, HttpClientChunkState parser, SessionBuffer buffer, InputStream raw, Readable r) {
        super(r);
        this.owner = owner;
        this.raw = raw;
        this.parser = parser;
        this.buffer = buffer;
    }

    /** Data of the current chunk the session buffer holds (none between chunks: the parser's turn). */
    @Override
    public byte[] takeHeld(long max) {
        try {
            byte[] held = buffer.take(Math.min(max, parser.remaining()));
            parser.advance(held.length);
            return held;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The current chunk's data left, after letting the library's parser read a size line if one is due; 0 at the end. */
    @Override
    public long span() throws IOException {
        try {
            long left = parser.remaining();
            if (left > 0 || parser.eof()) {
                return left;
            }
            buffer.fillSome(raw, ChunkReader.LINE_READ); // the parser's line then comes from here, with little data along
            parser.nextChunk();
            return parser.eof() ? 0 : parser.remaining();
        } catch (ReflectiveOperationException e) {
            throw new IOException("chunked body: unexpected library state", e); // checked at resolve: cannot happen
        }
    }

    @Override
    public void moved(long n) {
        try {
            parser.advance(n);
        } catch (ReflectiveOperationException | RuntimeException e) {
            AgentLog.debugOnce("httpclient-chunk-pos", "could not count bytes in a chunked body: " + e);
        }
        buffer.readBelow(n); // the connection's metrics count what was read from its socket
    }

    /** The socket ended inside a chunk: the library's read, through the application's stream, fails its own way. */
    @Override
    public void endOfStream() throws IOException {
        int n = owner.read(new byte[1]);
        throw new IOException("chunked body: the connection ended inside a chunk (the library read " + n + ")");
    }

    @Override
    public void failed() {
        try {
            if (!parser.eof()) {
                parser.invalidate();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            AgentLog.debugOnce("httpclient-chunk-invalid", "could not mark a chunked body failed: " + e);
        }
        String type = owner.getClass().getName();
        if (type.equals(SENSOR) || type.equals(SENSOR_4)) {
            try {
                // What the sensor does when its read fails (5.x abort(), 4.5 abortConnection(): checkAbort).
                owner.getClass().getMethod(type.equals(SENSOR) ? "abort" : "abortConnection").invoke(owner);
            } catch (ReflectiveOperationException | RuntimeException e) {
                AgentLog.debugOnce("httpclient-chunk-abort", "could not abort a failed chunked body's connection: " + e);
            }
        }
        // Without a sensor (an entity's writeTo) the client's entity wrapper discards the connection on the exception.
    }

    /** The application's stream: the library reads (and frames, and fails) by itself. */
    @Override
    public InputStream stream() {
        return owner;
    }

    @Override
    public long bound() {
        return Long.MAX_VALUE;
    }
}
