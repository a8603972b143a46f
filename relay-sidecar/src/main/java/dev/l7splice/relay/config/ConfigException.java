package dev.l7splice.relay.config;

import java.util.List;

/**
 * A configuration file the relay refuses, with a one-line message
 * {@code FILE:LINE: 'KEYWORD': what is wrong (and what is expected)}, fit to print as is: the relay
 * does not start with it, and a reload that meets it keeps the running configuration.
 *
 * <p>The parser reads the whole file and reports every problem it finds: the exception it throws is
 * the first problem (by line), and {@link #all()} lists every one, each with its own line.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String keyword;
    private final List<ConfigException> all;

    public ConfigException(String file, int line, String keyword, String what) {
        super(file + ":" + line + ": '" + keyword + "': " + what);
        this.file = file;
        this.line = line;
        this.keyword = keyword;
        this.all = List.of();
    }

    /** The first of {@code problems}, carrying all of them ({@code problems} is not empty). */
    private ConfigException(List<ConfigException> problems) {
        super(problems.get(0).getMessage());
        ConfigException first = problems.get(0);
        this.file = first.file;
        this.line = first.line;
        this.keyword = first.keyword;
        this.all = List.copyOf(problems);
    }

    /** One exception for every problem of one parse, in the order given. */
    static ConfigException of(List<ConfigException> problems) {
        return problems.size() == 1 ? problems.get(0) : new ConfigException(problems);
    }

    /** Every problem found, this one first; each message is one line. */
    public List<ConfigException> all() {
        return all.isEmpty() ? List.of(this) : all;
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
