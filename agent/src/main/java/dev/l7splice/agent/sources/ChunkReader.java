package dev.l7splice.agent.sources;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The chunked framing of an HTTP/1.1 body, read in user space from a socket so that only chunk
 * data goes to the kernel: {@link #span()} reads a chunk's CRLF and the next size line, bytes read
 * along with them wait in a small buffer ({@link #take}) and go first, and {@link #consumed} counts
 * what the kernel read of the current chunk. Stops after the last chunk's size line: the trailers
 * are the owner's. Rules and messages as the JDK's {@code ChunkedInputStream}. The calling thread only.
 */
public final class ChunkReader {

    private static final int MAX_SIZE_LINE = 2050;
    /** Most bytes read from the socket for framing at a time. */
    public static final int LINE_READ = 256;

    private final InputStream raw;
    private byte[] buf;
    private int pos;
    private int end;
    private long remaining;
    private boolean crlfDue;
    private boolean last;

    /** {@code buffered}: raw bytes already read from the socket; {@code remaining} of the current chunk; {@code crlfDue} after its data. */
    public ChunkReader(InputStream raw, byte[] buffered, long remaining, boolean crlfDue) {
        this.raw = raw;
        this.buf = buffered;
        this.end = buffered.length;
        this.remaining = remaining;
        this.crlfDue = crlfDue;
    }

    /** Data of the current chunk that can be had now, or 0 once the last chunk's size line was read. */
    public long span() throws IOException {
        while (remaining == 0 && !last) {
            if (crlfDue) {
                if (next() != '\r') {
                    throw new IOException("missing CR");
                }
                if (next() != '\n') {
                    throw new IOException("missing LF");
                }
                crlfDue = false;
            }
            String line = sizeLine();
            int digits = 0;
            while (digits < line.length() && Character.digit(line.charAt(digits), 16) != -1) {
                digits++;
            }
            try {
                remaining = Integer.parseInt(line, 0, digits, 16);
            } catch (NumberFormatException e) {
                throw new IOException("Bogus chunk size");
            }
            last = remaining == 0;
            crlfDue = !last;
        }
        return remaining;
    }

    /** Up to {@code max} bytes of the current chunk from the buffer (none when it is empty). */
    public byte[] take(long max) {
        int n = (int) Math.min(Math.min(max, remaining), end - pos);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + Math.max(n, 0));
        pos += out.length;
        remaining -= out.length;
        return out;
    }

    /** {@code n} bytes of the current chunk were read from the socket itself. */
    public void consumed(long n) {
        remaining -= n;
    }

    public boolean atLastChunk() {
        return last;
    }

    /** What was read from the socket but not used: after the last size line, the start of the trailers. */
    public byte[] unread() {
        return Arrays.copyOfRange(buf, pos, end);
    }

    private String sizeLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = next()) != '\n'; ) {
            line.append((char) c);
            if (line.length() >= MAX_SIZE_LINE) {
                throw new IOException("Chunk header too long");
            }
        }
        return line.toString();
    }

    /** The next framing byte: from the buffer, else a read of what the socket has (data after it stays buffered). */
    private int next() throws IOException {
        if (pos == end) {
            if (buf.length < LINE_READ) {
                buf = new byte[LINE_READ];
            }
            int n = raw.read(buf, 0, LINE_READ); // a size line and a little data: the rest of the chunk is the kernel's
            if (n < 0) {
                throw new IOException("Premature EOF");
            }
            pos = 0;
            end = n;
        }
        return buf[pos++] & 0xff;
    }
}
