package dev.l7splice.demo.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one message head byte by byte, the way legacy servers do, so that the stream is left
 * exactly at the first body byte. Meant for a BufferedInputStream: single-byte reads from a raw
 * socket stream would each be a system call. Stateless and thread-safe; the stream is not.
 */
public final class HttpHeadReader {

    /** The most bytes a head may have, start line and empty line included. */
    public static final int MAX_HEAD_BYTES = 64 * 1024;

    private HttpHeadReader() {
    }

    /**
     * @return the head, or null when the stream ended before its first byte (a peer that
     *     connected and left)
     * @throws EOFException when the stream ended inside the head
     * @throws HeadParseException when the head is malformed or larger than {@link #MAX_HEAD_BYTES}
     */
    public static HttpHead read(InputStream in) throws IOException {
        LineReader lines = new LineReader(in);
        String startLine = lines.next(true);
        // RFC 9112 2.2: a server should ignore empty lines before the request line.
        while (startLine != null && startLine.isEmpty()) {
            startLine = lines.next(false);
        }
        if (startLine == null) {
            return null;
        }
        if (startLine.isBlank() || Character.isWhitespace(startLine.charAt(0))) {
            throw new HeadParseException("bad start line");
        }
        List<Header> headers = new ArrayList<>();
        for (String line = lines.next(false); !line.isEmpty(); line = lines.next(false)) {
            headers.add(parseHeader(line));
        }
        return new HttpHead(startLine, headers);
    }

    static Header parseHeader(String line) throws HeadParseException {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new HeadParseException("header line without a name: '" + abbreviate(line) + "'");
        }
        String name = line.substring(0, colon);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            // Token characters only: no spaces before the colon, no obsolete line folding.
            if (c <= ' ' || c >= 127 || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                throw new HeadParseException("bad header name '" + abbreviate(name) + "'");
            }
        }
        return new Header(name, line.substring(colon + 1).trim());
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    /** CRLF-terminated lines (a bare LF is tolerated), counting bytes against the head limit. */
    private static final class LineReader {
        private final InputStream in;
        private byte[] buf = new byte[256];
        private int total;

        LineReader(InputStream in) {
            this.in = in;
        }

        /** @param eofAllowed whether EOF before the line's first byte means "no message" */
        String next(boolean eofAllowed) throws IOException {
            int len = 0;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (eofAllowed && len == 0 && total == 0) {
                        return null;
                    }
                    throw new EOFException("stream ended inside a message head");
                }
                if (++total > MAX_HEAD_BYTES) {
                    throw new HeadParseException("head larger than " + MAX_HEAD_BYTES + " bytes");
                }
                if (b == '\n') {
                    if (len > 0 && buf[len - 1] == '\r') {
                        len--;
                    }
                    return new String(buf, 0, len, StandardCharsets.ISO_8859_1);
                }
                if (len == buf.length) {
                    buf = Arrays.copyOf(buf, len * 2);
                }
                buf[len++] = (byte) b;
            }
        }
    }
}
