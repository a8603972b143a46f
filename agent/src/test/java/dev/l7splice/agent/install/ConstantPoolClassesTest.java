package dev.l7splice.agent.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConstantPoolClassesTest {

    /** Names classes in every form the pool holds them: a plain reference, a catch type, an array of objects. */
    static final class Sample {
        static Object use(Object o) {
            try {
                java.util.zip.CRC32C c = new java.util.zip.CRC32C();
                return new java.util.concurrent.atomic.LongAdder[] {(java.util.concurrent.atomic.LongAdder) o, null}.length + c.getValue();
            } catch (java.util.ConcurrentModificationException e) {
                return new int[1];
            }
        }
    }

    @Test
    void namesTheClassesAConstantPoolRefersTo() throws Exception {
        byte[] b;
        try (InputStream in = Sample.class.getResourceAsStream("ConstantPoolClassesTest$Sample.class")) {
            b = in.readAllBytes();
        }
        List<String> names = ConstantPoolClasses.of(b);
        assertTrue(names.contains("java.util.zip.CRC32C"), names.toString());
        assertTrue(names.contains("java.util.concurrent.atomic.LongAdder"), names.toString());
        assertTrue(names.contains("java.util.ConcurrentModificationException"), names.toString());
        assertTrue(names.contains("dev.l7splice.agent.install.ConstantPoolClassesTest$Sample"), names.toString());
        assertFalse(names.stream().anyMatch(n -> n.startsWith("[") || n.contains("/")), names.toString());
    }

    @Test
    void bytesThatAreNotAClassFileNameNothing() {
        assertEquals(List.of(), ConstantPoolClasses.of(new byte[0]));
        assertEquals(List.of(), ConstantPoolClasses.of("not a class file at all".getBytes()));
        assertEquals(List.of(), ConstantPoolClasses.of(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 9, 7}));
    }
}
