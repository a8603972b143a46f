package dev.l7splice.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The deterministic body every demo server sends and every client checks: the infinite repetition
 * of {@link #PERIOD} pseudo-random bytes. The period is a prime so the pattern never lines up with
 * power-of-two buffer sizes, which would hide an off-by-one-buffer bug in a proxy.
 * Every method is thread-safe; the arrays are never written after class initialisation.
 */
public final class BodyPattern {

    public static final int PERIOD = 65521;

    private static final int CHUNK = 1 << 20;
    private static final int CACHED_DIGESTS = 16;

    private static final byte[] PATTERN = new byte[PERIOD];
    /** The repetition from offset 0, long enough that any chunk of up to 1 MiB is one slice. */
    private static final byte[] WINDOW = new byte[PERIOD + CHUNK];

    /** Digests of large prefixes are expensive (seconds per GiB); servers ask for the same n often. */
    private static final Map<Long, String> DIGESTS = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > CACHED_DIGESTS;
        }
    };

    static {
        SplittableRandom random = new SplittableRandom(0x17A5L);
        for (int i = 0; i < PERIOD; i++) {
            PATTERN[i] = (byte) random.nextInt(256);
        }
        for (int i = 0; i < WINDOW.length; i++) {
            WINDOW[i] = PATTERN[i % PERIOD];
        }
    }

    private BodyPattern() {
    }

    /** Fills {@code dst[off, off+len)} with the bytes of the repetition starting at {@code offset}. */
    public static void fill(long offset, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        int pos = (int) Math.floorMod(offset, (long) PERIOD);
        while (len > 0) {
            int n = Math.min(len, WINDOW.length - pos);
            System.arraycopy(WINDOW, pos, dst, off, n);
            off += n;
            len -= n;
            pos = (pos + n) % PERIOD;
        }
    }

    /** Lower-case hex SHA-256 of the first {@code n} bytes. */
    public static String sha256Hex(long n) {
        requireLength(n);
        synchronized (DIGESTS) {
            String cached = DIGESTS.get(n);
            if (cached != null) {
                return cached;
            }
        }
        // Hashed outside the lock: two threads asking for the same new n both compute, which is
        // cheaper than making every other caller wait seconds.
        MessageDigest sha = newSha256();
        int pos = 0;
        for (long left = n; left > 0; ) {
            int chunk = (int) Math.min(CHUNK, left);
            sha.update(WINDOW, pos, chunk);
            pos = (pos + chunk) % PERIOD;
            left -= chunk;
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        synchronized (DIGESTS) {
            DIGESTS.put(n, hex);
        }
        return hex;
    }

    /** A fresh stream of the first {@code n} bytes; not thread-safe, like any InputStream. */
    public static InputStream stream(long n) {
        requireLength(n);
        return new PatternInputStream(n);
    }

    /** Writes the first {@code n} bytes in slices of up to 1 MiB, with no copying. */
    public static void writeTo(OutputStream out, long n) throws IOException {
        requireLength(n);
        int pos = 0;
        for (long left = n; left > 0; ) {
            int chunk = (int) Math.min(CHUNK, left);
            out.write(WINDOW, pos, chunk);
            pos = (pos + chunk) % PERIOD;
            left -= chunk;
        }
    }

    /** A new SHA-256 digest; every JDK has one, so its absence is a broken runtime. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JDK", e);
        }
    }

    private static void requireLength(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative length " + n);
        }
    }

    private static final class PatternInputStream extends InputStream {
        private final long length;
        private long position;

        PatternInputStream(long length) {
            this.length = length;
        }

        @Override
        public int read() {
            if (position >= length) {
                return -1;
            }
            return PATTERN[(int) (position++ % PERIOD)] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            fill(position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, length - position));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, length - position);
        }
    }
}
