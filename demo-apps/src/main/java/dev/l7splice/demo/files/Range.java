package dev.l7splice.demo.files;

/** One {@code Range: bytes=A-B}, {@code bytes=A-} or {@code bytes=-N} request header; others are ignored (whole file). */
record Range(long start, long length) {

    static final Range UNSATISFIABLE = new Range(-1, -1);

    /** Null for "no (usable) range": serve the whole file. */
    static Range parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long n = Math.min(Long.parseLong(b), size);
                return n <= 0 ? UNSATISFIABLE : new Range(size - n, n);
            }
            long start = Long.parseLong(a);
            long end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (start >= size || end < start) {
                return UNSATISFIABLE;
            }
            return new Range(start, end - start + 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
