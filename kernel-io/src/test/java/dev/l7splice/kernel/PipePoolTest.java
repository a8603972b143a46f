package dev.l7splice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.kernel.nativeio.LinuxIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PipePoolTest {

    @Test
    void pipesAreSizedWithinTheSystemLimit() {
        PipePool pool = new PipePool(1 << 20, 4);
        PipePool.Pipe p = pool.acquire();
        assertNotNull(p);
        assertTrue(p.capacity >= PipePool.MIN_USEFUL_SIZE, "capacity " + p.capacity);
        assertTrue(p.capacity <= (1 << 20));
        assertEquals(p.capacity, LinuxIo.pipeSize(p.writeFd));
        pool.release(p);
    }

    @Test
    void emptyPipesAreReusedAndTheLimitHolds() {
        PipePool pool = new PipePool(64 * 1024, 2);
        PipePool.Pipe a = pool.acquire();
        PipePool.Pipe b = pool.acquire();
        assertNotNull(b);
        assertNull(pool.acquire(), "at the limit: none");
        pool.release(a);
        assertSame(a, pool.acquire(), "an empty pipe is reused");
        pool.release(a);
        pool.release(b);
        assertEquals(2, pool.open());
    }

    @Test
    void aPipeThatStillHoldsBytesIsNeverReused() throws Exception {
        PipePool pool = new PipePool(64 * 1024, 2);
        PipePool.Pipe p = pool.acquire();
        // Bytes left in the pipe, as by a transfer that ended before its pipe was drained.
        assertEquals(100, LinuxIo.write(p.writeFd, new byte[100], 0, 100));
        pool.release(p);
        assertEquals(0, pool.open(), "closed, not pooled");
        PipePool.Pipe q = pool.acquire();
        assertNotSame(p, q);
        assertEquals(0, LinuxIo.readable(q.readFd));
    }
}
