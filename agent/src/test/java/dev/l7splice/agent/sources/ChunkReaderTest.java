package dev.l7splice.agent.sources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Chunk framing read in user space: data comes out whole from any split of buffered and later bytes; bad framing fails as the JDK's stream does. */
@Timeout(10)
class ChunkReaderTest {

    @Test
    void decodesEveryChunkWhateverWasBufferedAheadAndLeavesTheTrailers() throws IOException {
        Random r = new Random(7);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i = 0; i < 50; i++) {
            byte[] chunk = new byte[1 + r.nextInt(3000)];
            r.nextBytes(chunk);
            body.write(chunk);
            wire.write((Integer.toHexString(chunk.length) + (i % 7 == 0 ? ";ext=1" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            wire.write(chunk);
            wire.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        wire.write("0\r\nX-T: 1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] w = wire.toByteArray();
        for (int split : new int[] {0, 1, 3, 700, w.length / 2, w.length}) {
            byte[] ahead = java.util.Arrays.copyOf(w, split);
            InputStream socket = new ByteArrayInputStream(w, split, w.length - split);
            assertArrayEquals(body.toByteArray(), decode(new ChunkReader(socket, ahead, 0, false), socket), "split " + split);
        }
    }

    @Test
    void malformedFramingFailsWithTheJdksMessages() {
        assertEquals("Bogus chunk size", fail("zz\r\n"));
        assertEquals("missing CR", fail("2\r\nabXY"));
        assertEquals("Premature EOF", fail("10\r\nabc"));
    }

    private static String fail(String wire) {
        InputStream socket = new ByteArrayInputStream(wire.getBytes(StandardCharsets.US_ASCII));
        ChunkReader reader = new ChunkReader(socket, new byte[0], 0, false);
        return assertThrows(IOException.class, () -> decode(reader, socket)).getMessage();
    }

    /** As the engine uses it: buffered data first, the rest of each chunk read from the socket itself (the kernel's part). */
    private static byte[] decode(ChunkReader reader, InputStream socket) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long span; (span = reader.span()) > 0; ) {
            byte[] held = reader.take(span);
            if (held.length > 0) {
                out.write(held);
                continue;
            }
            byte[] direct = socket.readNBytes((int) span);
            if (direct.length < span) {
                throw new IOException("Premature EOF");
            }
            out.write(direct);
            reader.consumed(direct.length);
        }
        String rest = new String(reader.unread(), StandardCharsets.US_ASCII) + new String(socket.readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals("X-T: 1\r\n\r\n", rest);
        return out.toByteArray();
    }
}
