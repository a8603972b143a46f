package dev.l7splice.relay.config;

/**
 * Numbers, durations and sizes as the file writes them. Durations: an integer with unit ms, s, m,
 * h or d; a plain integer is milliseconds (as HAProxy). Sizes: an integer with optional k, m or g
 * (powers of 1024). Every error names the value and the range expected.
 */
final class Values {

    /** Longest duration accepted: 24 days (HAProxy's limit is 2^31-1 ms, about 24.8 days). */
    static final long MAX_DURATION_MS = 24L * 86_400_000;

    private Values() {
    }

    /** A decimal integer in {@code min..max}; {@code what} prefixes the message (e.g. "weight: "). */
    static long integer(Statement st, String what, String v, long min, long max) throws ConfigException {
        long n = digits(v);
        if (n < 0) {
            throw st.error(what + "'" + v + "' is not a number (expected " + min + ".." + max + ")");
        }
        if (n < min || n > max) {
            throw st.error(what + v + " is out of range (expected " + min + ".." + max + ")");
        }
        return n;
    }

    /** A duration in milliseconds, in {@code minMs..MAX_DURATION_MS}. */
    static long duration(Statement st, String what, String v, long minMs) throws ConfigException {
        int end = 0;
        while (end < v.length() && v.charAt(end) >= '0' && v.charAt(end) <= '9') {
            end++;
        }
        long unit = unitMillis(v.substring(end));
        long n = end == 0 ? -1 : digits(v.substring(0, end));
        if (unit < 0 || end == 0) {
            throw st.error(what + "'" + v + "' is not a duration (expected a whole number with unit ms, s, m, h or d;"
                    + " a plain number is milliseconds)");
        }
        if (n < 0 || n > MAX_DURATION_MS / unit || n * unit < minMs) {
            throw st.error(what + v + " is out of range (expected " + Format.duration(minMs) + ".."
                    + Format.duration(MAX_DURATION_MS) + ")");
        }
        return n * unit;
    }

    /** A size in bytes, in {@code min..max}. */
    static long size(Statement st, String what, String v, long min, long max) throws ConfigException {
        String number = v;
        long unit = 1;
        char last = v.isEmpty() ? '0' : Character.toLowerCase(v.charAt(v.length() - 1));
        if (last == 'k' || last == 'm' || last == 'g') {
            unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            number = v.substring(0, v.length() - 1);
        }
        long n = digits(number);
        if (n == -1) {
            throw st.error(what + "'" + v + "' is not a size (expected a whole number with optional k, m or g)");
        }
        if (n == -2 || n > max / unit || n * unit < min) {
            throw st.error(what + v + " is out of range (expected " + Format.size(min) + ".." + Format.size(max) + ")");
        }
        return n * unit;
    }

    /** Non-negative decimal value; -1 if not all digits, -2 if too long for a long. */
    private static long digits(String v) {
        if (v.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException tooLong) {
            return -2;
        }
    }

    private static long unitMillis(String unit) {
        switch (unit) {
            case "":
            case "ms": return 1;
            case "s": return 1000;
            case "m": return 60_000;
            case "h": return 3_600_000;
            case "d": return 86_400_000;
            default: return -1;
        }
    }
}
