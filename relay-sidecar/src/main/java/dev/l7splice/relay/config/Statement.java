package dev.l7splice.relay.config;

import java.util.List;

/**
 * One non-empty line of the file, split into its keyword and arguments (comments removed). The
 * helpers throw {@link ConfigException}s that point at this line.
 */
record Statement(String file, int line, String keyword, List<String> args) {

    /** Splits on blanks; a word starting with {@code #} starts a comment. Null for a blank line. */
    static Statement of(String file, int line, String text) {
        String[] words = text.trim().split("[ \t]+");
        int n = 0;
        while (n < words.length && !words[n].isEmpty() && !words[n].startsWith("#")) {
            n++;
        }
        if (n == 0) {
            return null;
        }
        return new Statement(file, line, words[0], List.of(words).subList(1, n));
    }

    ConfigException error(String what) {
        return new ConfigException(file, line, keyword, what);
    }

    /** Argument {@code i}, or "missing argument" naming the keyword's syntax. */
    String arg(int i) throws ConfigException {
        if (i >= args.size()) {
            throw error("missing argument (expected: " + Keywords.syntax(keyword) + ")");
        }
        return args.get(i);
    }

    /** Exactly {@code n} arguments: "missing argument" or "extra argument" otherwise. */
    void expectArgs(int n) throws ConfigException {
        if (args.size() < n) {
            arg(args.size());
        }
        noneAfter(n);
    }

    /** Nothing after argument {@code n - 1}. */
    void noneAfter(int n) throws ConfigException {
        if (args.size() > n) {
            throw error("extra argument '" + args.get(n) + "' (expected: " + Keywords.syntax(keyword) + ")");
        }
    }
}
