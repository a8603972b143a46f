package dev.l7splice.relay.balance;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What {@code balance hash KEY} hashes: {@code src} (the client's address, the default), {@code uri}
 * (the request target), {@code path} (the target up to '?') or {@code hdr(NAME)} (the first value
 * of a request header). The last three read the request head a route hand-off carries; a
 * connection with no head (a {@code bind}, or a transparent route) or without that part in its
 * head is hashed by its client address instead, so it still sticks to one server. Immutable.
 */
public final class HashKey {

    /** The longest head looked at; a key beyond it counts as absent. */
    private static final int MAX_HEAD = 64 * 1024;

    private final String kind;
    private final String header;

    private HashKey(String kind, String header) {
        this.kind = kind;
        this.header = header;
    }

    /** Parses a key expression; IllegalArgumentException with the accepted forms otherwise. */
    public static HashKey parse(String expr) {
        if (expr.equals("src") || expr.equals("uri") || expr.equals("path")) {
            return new HashKey(expr, null);
        }
        if (expr.startsWith("hdr(") && expr.endsWith(")") && expr.length() > 5) {
            String name = expr.substring(4, expr.length() - 1);
            if (name.chars().allMatch(c -> c > 32 && c < 127 && c != ':' && c != '(' && c != ')')) {
                return new HashKey("hdr", name.toLowerCase(Locale.ROOT));
            }
        }
        throw new IllegalArgumentException("unknown hash key '" + expr + "' (expected src, uri, path or hdr(NAME))");
    }

    /** True when the key is read from the request head (anything but {@code src}). */
    public boolean needsHead() {
        return !kind.equals("src");
    }

    /** The key of one connection: from {@code head} when it has it, else {@code clientAddress}. */
    public String of(String clientAddress, byte[] head) {
        String key = fromHead(head);
        return key != null ? key : clientAddress;
    }

    /** The key read from {@code head}; null when this key is not read from heads or the head lacks it. */
    public String fromHead(byte[] head) {
        if (!needsHead() || head == null) {
            return null;
        }
        String text = new String(head, 0, Math.min(head.length, MAX_HEAD), StandardCharsets.ISO_8859_1);
        int eol = text.indexOf("\r\n");
        if (eol < 0) {
            return null;
        }
        String found = kind.equals("hdr") ? header(text, eol) : target(text.substring(0, eol));
        return found == null || found.isEmpty() ? null : kind + ":" + found;
    }

    /** The request target of "METHOD TARGET VERSION", cut at '?' for {@code path}. */
    private String target(String requestLine) {
        String[] parts = requestLine.split(" ");
        if (parts.length != 3) {
            return null;
        }
        String t = parts[1];
        int q = t.indexOf('?');
        return kind.equals("path") && q >= 0 ? t.substring(0, q) : t;
    }

    private String header(String text, int from) {
        for (int at = from + 2; at < text.length(); ) {
            int end = text.indexOf("\r\n", at);
            if (end <= at) {
                return null; // the blank line ends the head (or it was cut)
            }
            int colon = text.indexOf(':', at);
            if (colon > at && colon < end && text.substring(at, colon).toLowerCase(Locale.ROOT).equals(header)) {
                return text.substring(colon + 1, end).trim();
            }
            at = end + 2;
        }
        return null;
    }

    @Override
    public String toString() {
        return header == null ? kind : "hdr(" + header + ")";
    }
}
