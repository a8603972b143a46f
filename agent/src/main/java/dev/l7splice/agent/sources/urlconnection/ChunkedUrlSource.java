package dev.l7splice.agent.sources.urlconnection;

import dev.l7splice.agent.sources.ChunkReader;
import dev.l7splice.agent.sources.HeldBytes;
import dev.l7splice.agent.sources.SocketBackedSource;
import dev.l7splice.agent.runtime.AgentLog;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A chunked {@code HttpURLConnection} response body: the JDK's {@code ChunkedInputStream} over the
 * client's {@code BufferedInputStream} over the socket. Taken over under the stream's read lock
 * (held until {@link #finish()}): its decoded bytes and then its raw read-ahead and the buffer's go
 * first; from there {@link ChunkReader} reads the framing and only chunk data is spliced. After the
 * last chunk's size line the stream gets back what was read of the trailers, in the state its own
 * parser would be in, so its next read takes the trailers and gives the connection back to the
 * JDK's keep-alive cache. An error marks the stream failed (its connection is then closed, not
 * reused). Field names checked on JDK 17 and 25. The calling thread only.
 */
final class ChunkedUrlSource extends SocketBackedSource {

    private final InputStream cis;
    private final BufferedInputStream buffer;
    private final InputStream raw;
    private ReentrantLock lock;
    private ChunkReader reader;
    /** Bytes the stream had decoded already: they go before anything the reader finds. */
    private byte[] decodedAhead = new byte[0];
    private int aheadPos;
    private final InputStream decoded = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return decode(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return decode(b, off, len);
        }
    };

    ChunkedUrlSource(InputStream cis, BufferedInputStream buffer, InputStream raw, Readable r) {
        super(r);
        this.cis = cis;
        this.buffer = buffer;
        this.raw = raw;
    }

    /** The first call locks the stream and takes its decoded and raw bytes; later calls take from the reader. */
    @Override
    public byte[] takeHeld(long max) {
        if (reader != null) {
            if (aheadPos < decodedAhead.length) {
                int n = (int) Math.min(max, decodedAhead.length - aheadPos);
                aheadPos += n;
                return Arrays.copyOfRange(decodedAhead, aheadPos - n, aheadPos);
            }
            return reader.take(max);
        }
        ReentrantLock l;
        try {
            l = ChunkedStreamState.lockOf(cis);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        l.lock();
        try {
            byte[] rest = HeldBytes.take(buffer, Long.MAX_VALUE);
            if (rest == null) {
                l.unlock();
                return null;
            }
            ChunkedStreamState.Taken taken = ChunkedStreamState.take(cis);
            byte[] pending = Arrays.copyOf(taken.raw(), taken.raw().length + rest.length);
            System.arraycopy(rest, 0, pending, taken.raw().length, rest.length);
            decodedAhead = taken.decoded();
            reader = new ChunkReader(raw, pending, taken.inChunk(), taken.crlfDue());
            lock = l;
            return takeHeld(max);
        } catch (ReflectiveOperationException | RuntimeException e) {
            AgentLog.debugOnce("httpurlconnection-chunked", "chunked body stays with the JDK: " + e);
            l.unlock();
            return null;
        }
    }

    @Override
    public long span() throws IOException {
        if (aheadPos < decodedAhead.length) {
            return decodedAhead.length - aheadPos; // taken from user space first
        }
        try {
            return reader.span();
        } catch (IOException e) {
            failed();
            throw e;
        }
    }

    @Override
    public void moved(long n) {
        reader.consumed(n);
    }

    @Override
    public void endOfStream() throws IOException {
        failed();
        throw new IOException("Premature EOF");
    }

    /** Decoded data, as the stream's own read would give it, never reading a byte of data ahead. */
    private int decode(byte[] b, int off, int len) throws IOException {
        for (;;) {
            long span = span();
            if (span == 0) {
                return -1;
            }
            byte[] held = takeHeld(Math.min(len, span));
            if (held.length > 0) {
                System.arraycopy(held, 0, b, off, held.length);
                return held.length;
            }
            int n = raw.read(b, off, (int) Math.min(len, span));
            if (n < 0) {
                endOfStream();
            }
            reader.consumed(n);
            return n;
        }
    }

    @Override
    public InputStream stream() {
        return decoded;
    }

    /** Past a sink's declared length the decoded body goes on (its owner rejects it). */
    @Override
    public InputStream remainder(InputStream owner) {
        return decoded;
    }

    @Override
    public long bound() {
        return Long.MAX_VALUE;
    }

    @Override
    public void failed() {
        ChunkedStreamState.fail(cis);
    }

    /**
     * Hands the stream back: after the last size line, the trailer bytes read so far as its raw
     * read-ahead, in the state its parser has there; stopped inside the body (a sink's length), failed.
     */
    @Override
    public void finish() {
        if (lock == null) {
            return;
        }
        try {
            if (reader.atLastChunk() && aheadPos == decodedAhead.length) {
                ChunkedStreamState.giveBack(cis, reader.unread());
            } else {
                failed();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            failed();
        } finally {
            lock.unlock();
            lock = null;
        }
    }
}
