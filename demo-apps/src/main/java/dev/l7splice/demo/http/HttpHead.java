package dev.l7splice.demo.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A request or response head: the start line and the header fields in received order.
 * Immutable, so it may be shared between threads.
 */
public final class HttpHead {

    private final String startLine;
    private final List<Header> headers;

    public HttpHead(String startLine, List<Header> headers) {
        this.startLine = startLine;
        this.headers = List.copyOf(headers);
    }

    public String startLine() {
        return startLine;
    }

    public List<Header> headers() {
        return headers;
    }

    /** The first value of a header, case-insensitive name. */
    public Optional<String> first(String name) {
        for (Header h : headers) {
            if (h.is(name)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }

    /**
     * The Content-Length, or -1 when absent. Several differing values, or one that is not a
     * number, make the framing unknowable: that is a bad head, not a guess.
     */
    public long contentLength() throws HeadParseException {
        long length = -1;
        for (Header h : headers) {
            if (h.is("Content-Length")) {
                long v = parseLength(h.value());
                if (length >= 0 && v != length) {
                    throw new HeadParseException("conflicting Content-Length values");
                }
                length = v;
            }
        }
        return length;
    }

    /** True when the last transfer coding is chunked (RFC 9112 6.1). */
    public boolean isChunked() {
        String last = null;
        for (Header h : headers) {
            if (h.is("Transfer-Encoding")) {
                for (String coding : h.value().split(",")) {
                    if (!coding.isBlank()) {
                        last = coding.trim().toLowerCase(Locale.ROOT);
                    }
                }
            }
        }
        return "chunked".equals(last);
    }

    /** A copy without the named headers (case-insensitive), the start line unchanged. */
    public HttpHead without(String... names) {
        List<Header> kept = new ArrayList<>();
        for (Header h : headers) {
            boolean drop = false;
            for (String n : names) {
                drop |= h.is(n);
            }
            if (!drop) {
                kept.add(h);
            }
        }
        return new HttpHead(startLine, kept);
    }

    /** A copy with one more header at the end. */
    public HttpHead with(String name, String value) {
        List<Header> more = new ArrayList<>(headers);
        more.add(new Header(name, value));
        return new HttpHead(startLine, more);
    }

    /** The head as sent on the wire, CRLF line ends and the empty line included. */
    public byte[] encode() {
        StringBuilder sb = new StringBuilder(startLine.length() + 32 * headers.size() + 4);
        sb.append(startLine).append("\r\n");
        for (Header h : headers) {
            sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return startLine + " " + headers;
    }

    private static long parseLength(String value) throws HeadParseException {
        String v = value.trim();
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new HeadParseException("bad Content-Length '" + value + "'");
        }
        return Long.parseLong(v);
    }
}
