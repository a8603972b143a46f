package dev.l7splice.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ChunkPoolTest {

    @Test
    void aReturnedChunkIsLentAgain() {
        ChunkPool pool = new ChunkPool(16, 2);
        byte[] a = pool.acquire();
        assertEquals(16, a.length);
        pool.release(a);
        assertSame(a, pool.acquire());
        assertNotSame(a, pool.acquire());
    }

    @Test
    void keepsAtMostItsLimitAndOnlyItsOwnSize() {
        ChunkPool pool = new ChunkPool(16, 2);
        pool.release(new byte[16]);
        pool.release(new byte[16]);
        pool.release(new byte[16]);
        pool.release(new byte[8]);
        assertEquals(2, pool.idle());
    }
}
