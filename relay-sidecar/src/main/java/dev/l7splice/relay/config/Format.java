package dev.l7splice.relay.config;

/** Durations and sizes written back the way the file writes them (largest exact unit). */
final class Format {

    private Format() {
    }

    /** 120000 -> "2m", 1500 -> "1500ms", 0 -> "0". */
    static String duration(long ms) {
        if (ms == 0) {
            return "0";
        }
        long[] units = {86_400_000, 3_600_000, 60_000, 1000};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }

    /** 1048576 -> "1m", 4096 -> "4k", 1000 -> "1000". */
    static String size(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "g";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "m";
        }
        if (bytes != 0 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "k";
        }
        return Long.toString(bytes);
    }
}
