package dev.l7splice.demo.http;

/** {@code METHOD SP target SP HTTP/x.y}, split. */
public record RequestLine(String method, String target, String version) {

    public static RequestLine parse(String line) throws HeadParseException {
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
            throw new HeadParseException("bad request line");
        }
        for (int i = 0; i < parts[0].length(); i++) {
            char c = parts[0].charAt(i);
            if (c < 'A' || c > 'Z') {
                throw new HeadParseException("bad method");
            }
        }
        return new RequestLine(parts[0], parts[1], parts[2]);
    }

    /** The target without its query. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The query without the '?', or "" when there is none. */
    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }

    /** Whether the query holds the exact pair {@code name=value}. */
    public boolean hasQueryPair(String name, String value) {
        for (String pair : query().split("&")) {
            if (pair.equals(name + "=" + value)) {
                return true;
            }
        }
        return false;
    }
}
