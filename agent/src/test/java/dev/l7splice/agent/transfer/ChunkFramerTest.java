package dev.l7splice.agent.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.l7splice.kernel.PipePool;
import dev.l7splice.kernel.nativeio.LinuxIo;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The framing written around kernel pieces, read back from a pipe. */
@Timeout(30)
class ChunkFramerTest {

    private static String framed(boolean ownerLeftAChunkOpen, long... pieces) throws Exception {
        PipePool pool = new PipePool(64 * 1024, 1);
        PipePool.Pipe p = pool.acquire();
        try {
            ChunkFramer f = new ChunkFramer(p.writeFd, fd -> { }, ownerLeftAChunkOpen);
            for (long n : pieces) {
                f.open(n);
                ChunkFramer.writeAll(p.writeFd, "x".repeat((int) n).getBytes(StandardCharsets.US_ASCII), fd -> { });
            }
            f.finish();
            byte[] b = new byte[4096];
            int r = LinuxIo.read(p.readFd, b, 0, b.length);
            assertEquals(f.overhead() + java.util.Arrays.stream(pieces).sum(), r);
            return new String(b, 0, r, StandardCharsets.US_ASCII);
        } finally {
            pool.release(p);
        }
    }

    @Test
    void eachPieceIsOneChunkAndTheLastCrlfEndsIt() throws Exception {
        assertEquals("3\r\nxxx\r\n11\r\n" + "x".repeat(17) + "\r\n", framed(false, 3, 17));
    }

    /** Jetty writes a chunk's CRLF with its next size line: the first piece after its own chunk starts with it. */
    @Test
    void aChunkTheOwnerLeftOpenIsEndedFirst() throws Exception {
        assertEquals("\r\n2\r\nxx\r\n", framed(true, 2));
        assertEquals("\r\n", framed(true), "no piece at all: the owner's chunk is still ended");
    }
}
