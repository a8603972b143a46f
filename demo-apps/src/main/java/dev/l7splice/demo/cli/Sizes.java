package dev.l7splice.demo.cli;

import java.util.Locale;

/** Byte counts as people type them: {@code 1048576}, {@code 256k}, {@code 256m}, {@code 1g}. */
public final class Sizes {

    private Sizes() {
    }

    /** Parses a size; k, m and g (either case, optional trailing b) are powers of 1024. */
    public static long parse(String optionName, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("b") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        int shift = 0;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k': shift = 10; break;
                case 'm': shift = 20; break;
                case 'g': shift = 30; break;
                default: break;
            }
        }
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(digits);
            if (v < 0 || v > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return v << shift;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + optionName + " needs a size like 1048576, 256m or 1g, not '" + text + "'");
        }
    }

    /** A short human form for output: 1 GiB, 256 MiB, 1000000 B. */
    public static String human(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
