package dev.l7splice.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BodyPatternTest {

    /** The pattern as its definition says, computed the slow, obvious way. */
    private static final byte[] REFERENCE = new byte[BodyPattern.PERIOD];

    static {
        SplittableRandom random = new SplittableRandom(0x17A5L);
        for (int i = 0; i < REFERENCE.length; i++) {
            REFERENCE[i] = (byte) random.nextInt(256);
        }
    }

    private static byte[] naive(long offset, int len) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = REFERENCE[(int) ((offset + i) % BodyPattern.PERIOD)];
        }
        return out;
    }

    @Test
    void fillMatchesTheReferenceAtArbitraryOffsets() {
        long[] offsets = {0, 1, BodyPattern.PERIOD - 1, BodyPattern.PERIOD, BodyPattern.PERIOD + 7,
            123_456_789L, (1L << 40) + 3, Long.MAX_VALUE - 5_000_000};
        int[] lengths = {0, 1, 100, BodyPattern.PERIOD, BodyPattern.PERIOD + 1, (1 << 20) + BodyPattern.PERIOD * 2 + 5};
        for (long offset : offsets) {
            for (int len : lengths) {
                byte[] dst = new byte[len + 10];
                BodyPattern.fill(offset, dst, 5, len);
                byte[] slice = Arrays.copyOfRange(dst, 5, 5 + len);
                assertArrayEquals(naive(offset, len), slice, "offset " + offset + " len " + len);
            }
        }
    }

    @Test
    void fillRejectsBadRanges() {
        assertThrows(IndexOutOfBoundsException.class, () -> BodyPattern.fill(0, new byte[4], 2, 3));
    }

    @Test
    void streamAndWriteToGiveTheSameBytes() throws IOException {
        long n = 3L * BodyPattern.PERIOD + (1 << 20) + 17;
        byte[] streamed;
        try (InputStream in = BodyPattern.stream(n)) {
            streamed = in.readAllBytes();
        }
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        BodyPattern.writeTo(written, n);
        assertArrayEquals(naive(0, (int) n), streamed);
        assertArrayEquals(streamed, written.toByteArray());
    }

    @Test
    void sha256HexEqualsHashingTheStream() throws Exception {
        for (long n : new long[] {0, 1, BodyPattern.PERIOD, BodyPattern.PERIOD + 1, (3L << 20) + 7}) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = BodyPattern.stream(n)) {
                byte[] buf = new byte[8191];
                int r;
                while ((r = in.read(buf)) >= 0) {
                    sha.update(buf, 0, r);
                }
            }
            String expected = HexFormat.of().formatHex(sha.digest());
            assertEquals(expected, BodyPattern.sha256Hex(n), "n=" + n);
            assertEquals(expected, BodyPattern.sha256Hex(n), "cached, n=" + n);
        }
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", BodyPattern.sha256Hex(0));
    }

    @Test
    void singleByteReadsFollowThePattern() throws IOException {
        InputStream in = BodyPattern.stream(3);
        assertEquals(REFERENCE[0] & 0xff, in.read());
        assertEquals(REFERENCE[1] & 0xff, in.read());
        assertEquals(REFERENCE[2] & 0xff, in.read());
        assertEquals(-1, in.read());
    }
}
