package dev.l7splice.relay.config;

/**
 * A configuration file the relay refuses, with a one-line message
 * {@code FILE:LINE: 'KEYWORD': what is wrong (and what is expected)}, fit to print as is: the relay
 * does not start with it, and a reload that meets it keeps the running configuration.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String keyword;

    public ConfigException(String file, int line, String keyword, String what) {
        super(file + ":" + line + ": '" + keyword + "': " + what);
        this.file = file;
        this.line = line;
        this.keyword = keyword;
    }

    /** The file as it was named to the parser. */
    public String file() {
        return file;
    }

    /** 1-based line of the statement at fault; 0 when the file as a whole is (unreadable). */
    public int line() {
        return line;
    }

    public String keyword() {
        return keyword;
    }
}
