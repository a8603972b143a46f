package dev.l7splice.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without an agent: the plain copies, counts and bounds the agent's path must match. */
class L7SpliceTest {

    private static final byte[] DATA = new byte[100_003];

    static {
        new Random(7).nextBytes(DATA);
    }

    @Test
    void spliceToEndOfStream() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(DATA.length, L7Splice.splice(new ByteArrayInputStream(DATA), out, -1));
        assertArrayEquals(DATA, out.toByteArray());
    }

    @Test
    void boundedSpliceReadsNothingBeyondN() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(DATA);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(12_345, L7Splice.splice(in, out, 12_345));
        assertArrayEquals(Arrays.copyOf(DATA, 12_345), out.toByteArray());
        assertEquals(DATA.length - 12_345, in.available(), "the rest is still in the stream");
        assertEquals(0, L7Splice.splice(in, out, 0));
        assertEquals(DATA.length - 12_345, L7Splice.splice(in, out, 1L << 40), "short at end of stream");
    }

    @Test
    void sendFileRanges(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f");
        Files.write(file, DATA);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(1000, L7Splice.sendFile(file, 777, 1000, out));
        assertArrayEquals(Arrays.copyOfRange(DATA, 777, 1777), out.toByteArray());

        out.reset();
        assertEquals(DATA.length - 5, L7Splice.sendFile(file, 5, -1, out));
        assertArrayEquals(Arrays.copyOfRange(DATA, 5, DATA.length), out.toByteArray());

        out.reset();
        assertEquals(10, L7Splice.sendFile(file, DATA.length - 10, 99, out), "short at end of file");
        assertEquals(0, L7Splice.sendFile(file, DATA.length + 10, 99, out), "offset past the end");
        assertThrows(IllegalArgumentException.class, () -> L7Splice.sendFile(file, -1, 1, out));
    }

    @Test
    void sendFileToAFile(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        Path dst = dir.resolve("dst");
        Files.write(src, DATA);
        try (FileOutputStream out = new FileOutputStream(dst.toFile())) {
            out.write(DATA, 0, 3);
            assertEquals(DATA.length - 3, L7Splice.sendFile(src, 3, -1, out));
        }
        assertArrayEquals(DATA, Files.readAllBytes(dst));
    }
}
