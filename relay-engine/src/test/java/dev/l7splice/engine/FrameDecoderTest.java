package dev.l7splice.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class FrameDecoderTest {

    @Test
    void everyTypeRoundTripsEvenOneByteAtATime() throws Exception {
        Frame[] frames = {
            Frame.handoff(7, RelayedTransfer.SHUTDOWN_OUTPUT_AT_EOF, new byte[] {1, 2, 3}),
            Frame.of(Frame.ACCEPTED, 7, 0, null),
            Frame.of(Frame.REFUSED, 8, 0, "at the limit"),
            Frame.of(Frame.DONE, 7, 123456789L, null),
            Frame.of(Frame.FAILED, 9, 42, "Connection reset by peer"),
            Frame.of(Frame.STOP_READING, 7, 0, null),
            Frame.of(Frame.ROUTES_QUERY, 0, 0, null),
            Frame.of(Frame.ROUTES, 0, 0, "127.0.0.1:9000=41234\norigin.internal:8080=41235\n"),
            Frame.route(11, "origins", "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
        };
        FrameDecoder d = new FrameDecoder(true);
        for (Frame f : frames) {
            byte[] wire = f.encode();
            for (int i = 0; i < wire.length; i++) {
                d.feed(wire, i, 1, i == 0 && f.type == Frame.HANDOFF ? new int[] {1000, 1001}
                        : i == 0 && f.type == Frame.ROUTE ? new int[] {1002} : null);
                if (i < wire.length - 1) {
                    assertNull(d.next());
                }
            }
            Frame g = d.next();
            assertEquals(f.type, g.type);
            assertEquals(f.id, g.id);
            assertEquals(f.flags, g.flags);
            assertEquals(f.bytes, g.bytes);
            assertEquals(f.reason, g.reason);
            if (f.type == Frame.HANDOFF) {
                assertArrayEquals(f.prefix, g.prefix);
                assertEquals(1000, g.srcFd);
                assertEquals(1001, g.dstFd);
            }
            if (f.type == Frame.ROUTE) {
                assertArrayEquals(f.prefix, g.prefix);
                assertEquals(1002, g.srcFd);
            }
        }
        d.endOfStream();
    }

    @Test
    void malformedFramesAreNamed() {
        assertEquals("frame length 3 outside 12..65568", error(new byte[] {0, 0, 0, 3}));
        assertEquals("frame length 2147483647 outside 12..65568", error(new byte[] {0x7f, -1, -1, -1}));
        byte[] v2 = Frame.of(Frame.ACCEPTED, 1, 0, null).encode();
        v2[4] = 2;
        assertEquals("unsupported version 2", error(v2));
        byte[] t = Frame.of(Frame.ACCEPTED, 1, 0, null).encode();
        t[5] = 99;
        assertEquals("unknown frame type 99", error(t));
        assertEquals("HANDOFF without its two fds", error(Frame.handoff(1, 0, new byte[0]).encode()));
        assertThrows(FrameDecoder.ProtocolException.class, () -> {
            FrameDecoder d = new FrameDecoder(false);
            byte[] w = Frame.of(Frame.DONE, 1, 5, null).encode();
            d.feed(w, 0, w.length - 1, null);
            assertNull(d.next());
            d.endOfStream();
        });
    }

    private static String error(byte[] wire) {
        FrameDecoder d = new FrameDecoder(true);
        d.feed(wire, 0, wire.length, null);
        return assertThrows(FrameDecoder.ProtocolException.class, d::next).getMessage();
    }

    /**
     * 200,000 random, mutated, truncated and oversized inputs: the decoder answers each with frames
     * or a ProtocolException, never anything else, and never claims more fds than it was given.
     */
    @Test
    void fuzz() throws Exception {
        SplittableRandom r = new SplittableRandom(20261128);
        byte[] valid = Frame.handoff(3, 0, new byte[100]).encode();
        int rejected = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] input;
            switch (i % 4) {
                case 0: input = new byte[r.nextInt(64)]; r.nextBytes(input); break;
                case 1: input = valid.clone(); input[r.nextInt(input.length)] = (byte) r.nextInt(256); break;
                case 2: input = Arrays.copyOf(valid, r.nextInt(valid.length)); break;
                default: input = valid.clone(); input[r.nextInt(4)] = (byte) (0x80 | r.nextInt(128)); break;
            }
            FrameDecoder d = new FrameDecoder(true);
            int given = r.nextInt(3);
            int[] fds = new int[given];
            Arrays.fill(fds, 5000);
            int claimed = 0;
            try {
                d.feed(input, 0, input.length, fds);
                for (Frame f; (f = d.next()) != null; ) {
                    claimed += f.type == Frame.HANDOFF ? 2 : 0;
                }
                d.endOfStream();
            } catch (FrameDecoder.ProtocolException e) {
                rejected++;
            }
            assertTrue(claimed + d.pendingFds() == given, "fds accounted for");
        }
        assertTrue(rejected > 100_000, "most garbage is rejected: " + rejected);
    }
}
