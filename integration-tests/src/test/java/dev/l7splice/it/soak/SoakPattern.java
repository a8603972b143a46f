package dev.l7splice.it.soak;

/**
 * The bytes of one soak body: a function of the transfer's id, its direction and the offset, so
 * that a byte lost, doubled or moved is seen at the first wrong offset, and so that two bodies
 * can never be mistaken for each other.
 */
final class SoakPattern {

    private final long seed;

    SoakPattern(long id, boolean upload) {
        this.seed = id * 0x9E3779B97F4A7C15L + (upload ? 0x632BE59BD9B4E019L : 0);
    }

    byte at(long offset) {
        long x = (offset >>> 3) * 0xD1B54A32D192ED03L + seed;
        x ^= x >>> 29;
        return (byte) (x >>> (8 * (int) (offset & 7)));
    }

    /** Fills {@code b[0..n)} with the body's bytes from {@code offset}. */
    void fill(byte[] b, int n, long offset) {
        for (int i = 0; i < n; i++) {
            b[i] = at(offset + i);
        }
    }

    /** The offset of the first byte of {@code b[0..n)} that differs from the body at {@code offset}, or -1. */
    long firstMismatch(byte[] b, int n, long offset) {
        for (int i = 0; i < n; i++) {
            if (b[i] != at(offset + i)) {
                return offset + i;
            }
        }
        return -1;
    }
}
