package dev.l7splice.demo.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed command line of one main: {@code --name value}, {@code --name=value} and bare flags.
 * Options not in the main's known set are a {@link UsageException}. A single-valued option given
 * twice keeps its last value, so wrapper scripts can pass defaults the user overrides.
 * Not thread-safe; built and read on the main thread.
 */
public final class CliArgs {

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private CliArgs() {
    }

    /**
     * @param withValue option names (without dashes) that take a value
     * @param flags option names that take none
     */
    public static CliArgs parse(String[] args, Set<String> withValue, Set<String> flags) {
        CliArgs parsed = new CliArgs();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                value = "true";
            } else if (withValue.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
            } else {
                throw new UsageException("unknown option --" + name);
            }
            parsed.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return parsed;
    }

    /** Whether --help or -h is anywhere on the line: help wins over every other problem. */
    public static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String get(String name, String fallback) {
        List<String> all = values.get(name);
        return all == null ? fallback : all.get(all.size() - 1);
    }

    public List<String> all(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    public int intValue(String name, int fallback, int min, int max) {
        String text = get(name, null);
        if (text == null) {
            return fallback;
        }
        long v = longOf(name, text);
        if (v < min || v > max) {
            throw new UsageException("--" + name + " must be between " + min + " and " + max);
        }
        return (int) v;
    }

    public long longValue(String name, long fallback, long min) {
        String text = get(name, null);
        if (text == null) {
            return fallback;
        }
        long v = longOf(name, text);
        if (v < min) {
            throw new UsageException("--" + name + " must be at least " + min);
        }
        return v;
    }

    /** A byte count with an optional k/m/g suffix (binary: 1k = 1024). */
    public long sizeValue(String name, long fallback) {
        String text = get(name, null);
        return text == null ? fallback : Sizes.parse(name, text);
    }

    private static long longOf(String name, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a number, not '" + text + "'");
        }
    }
}
