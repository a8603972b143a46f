package dev.l7splice.demo.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Decodes a chunked body (RFC 9112 7.1) from the stream that held its head. Chunk extensions and
 * trailer fields are read and ignored. Ends (-1) after the last chunk and its trailers, leaving
 * the underlying stream right after the body; a stream that ends earlier is an EOFException.
 * Not thread-safe.
 */
public final class ChunkedInputStream extends InputStream {

    private static final int MAX_LINE = 4096;

    private final InputStream in;
    private long chunkLeft;
    private boolean finished;

    public ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (chunkLeft == 0 && !nextChunk()) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, chunkLeft));
        if (n < 0) {
            throw new EOFException("stream ended inside a chunk");
        }
        chunkLeft -= n;
        if (chunkLeft == 0) {
            expectEmptyLine();
        }
        return n;
    }

    /** Reads the next chunk-size line; false once the body has ended. */
    private boolean nextChunk() throws IOException {
        if (finished) {
            return false;
        }
        String line = readLine();
        int semi = line.indexOf(';');
        String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
        try {
            if (hex.isEmpty() || hex.length() > 15) {
                throw new NumberFormatException();
            }
            chunkLeft = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new HeadParseException("bad chunk size '" + hex + "'");
        }
        if (chunkLeft == 0) {
            while (!readLine().isEmpty()) {
                // trailer field, ignored
            }
            finished = true;
            return false;
        }
        return true;
    }

    private void expectEmptyLine() throws IOException {
        if (!readLine().isEmpty()) {
            throw new HeadParseException("chunk data longer than its size");
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("stream ended inside chunk framing");
            }
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            if (sb.length() >= MAX_LINE) {
                throw new HeadParseException("chunk framing line too long");
            }
            sb.append((char) c);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
