package dev.l7splice.demo.http;

/** {@code HTTP/x.y SP code SP reason}, split. The reason may be empty. */
public record StatusLine(String version, int code, String reason) {

    public static StatusLine parse(String line) throws HeadParseException {
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            throw new HeadParseException("bad status line");
        }
        String code = line.substring(9, 12);
        if (!code.chars().allMatch(c -> c >= '0' && c <= '9') || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new HeadParseException("bad status code");
        }
        return new StatusLine(line.substring(0, 8), Integer.parseInt(code), line.length() > 13 ? line.substring(13) : "");
    }

    /** 1xx other than 101: a provisional answer, the real one follows on the same connection. */
    public boolean isInterim() {
        return code >= 100 && code < 200 && code != 101;
    }
}
