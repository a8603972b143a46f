package dev.l7splice.agent.instrument.loops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ConstantPoolScanTest {

    /** Reads and writes arrays, so its constant pool holds every string the scan looks for. */
    static final class Copies {
        static void copy(InputStream in, OutputStream out) throws Exception {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
            }
        }
    }

    /** Writes an array but never reads one: no loop to prove. */
    static final class OnlyWrites {
        static void put(OutputStream out, byte[] b) throws Exception {
            out.write(b, 0, b.length);
        }
    }

    @Test
    void passesOnlyClassesWithBothCalls() throws Exception {
        assertTrue(ConstantPoolScan.mayHoldCopyLoop(bytes(Copies.class)));
        assertTrue(ConstantPoolScan.mayHoldCopyLoop(bytes(CopyLoopFixtures.class)));
        assertFalse(ConstantPoolScan.mayHoldCopyLoop(bytes(OnlyWrites.class)));
        assertFalse(ConstantPoolScan.mayHoldCopyLoop(bytes(String.class)), "java.lang.String");
        assertFalse(ConstantPoolScan.mayHoldCopyLoop("nothing to see".getBytes()), "not a class file");
    }

    @Test
    void aClassFileItCannotWalkGoesToTheParser() throws Exception {
        byte[] b = bytes(OnlyWrites.class);
        assertTrue(ConstantPoolScan.mayHoldCopyLoop(Arrays.copyOf(b, 40)), "truncated in the constant pool");
    }

    private static byte[] bytes(Class<?> c) throws Exception {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
