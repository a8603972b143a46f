package dev.l7splice.relay.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The problems one parse has found so far. The parser runs each statement and each whole-section
 * check through {@link #check}, so one bad line does not hide the next. Not thread-safe (one parse).
 */
final class ConfigErrors {

    /** A step of the parse that may find a problem. */
    interface Step {
        void run() throws ConfigException;
    }

    private final List<ConfigException> found = new ArrayList<>();

    /** Runs {@code step}; a problem it finds is kept and the parse goes on. */
    void check(Step step) {
        try {
            step.run();
        } catch (ConfigException e) {
            found.add(e);
        }
    }

    void add(ConfigException e) {
        found.add(e);
    }

    /**
     * Throws every problem found, by line; problems of the file as a whole (line 0, found once
     * the whole file was read) come last.
     */
    void throwIfAny() throws ConfigException {
        if (found.isEmpty()) {
            return;
        }
        List<ConfigException> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingLong(e -> e.line() == 0 ? Long.MAX_VALUE : e.line())); // stable
        throw ConfigException.of(sorted);
    }
}
