package dev.l7splice.agent.ends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Fields.get and Fields.set as the ends use them: private fields, inherited ones, primitives boxed, a missing name. */
class FieldsTest {

    static class Base {
        private Object ob = "base";
        private long contentLength = 65536;
    }

    static final class Derived extends Base {
        private boolean closed = true;
        private final int count = 7;
    }

    /** Shadows Base.ob: the nearest declaration wins, as the servers' own field access would. */
    static final class Shadowing extends Base {
        private Object ob = "shadowing";
    }

    @Test
    void readsPrivateAndInheritedFieldsWithPrimitivesBoxed() throws Exception {
        Derived d = new Derived();
        assertEquals("base", Fields.get(d, "ob"));
        assertEquals(65536L, Fields.get(d, "contentLength"));
        assertEquals(true, Fields.get(d, "closed"));
        assertEquals(7, Fields.get(d, "count"));
        assertEquals("shadowing", Fields.get(new Shadowing(), "ob"));
        assertEquals("base", Fields.get(new Base(), "ob"));
    }

    @Test
    void readsSeeWritesThroughSet() throws Exception {
        Derived d = new Derived();
        for (long v = 0; v < 1000; v++) { // past the first calls, where the cached getter is used
            Fields.set(d, "contentLength", v);
            assertEquals(v, (long) Fields.get(d, "contentLength"));
        }
        Object o = new Object();
        Fields.set(d, "ob", o);
        assertSame(o, Fields.get(d, "ob"));
    }

    @Test
    void aMissingFieldIsNoSuchFieldExceptionEveryTime() {
        for (int i = 0; i < 3; i++) { // nothing cached for it
            NoSuchFieldException e = assertThrows(NoSuchFieldException.class, () -> Fields.get(new Derived(), "nope"));
            assertEquals(Derived.class.getName() + ".nope", e.getMessage());
        }
        assertThrows(NoSuchFieldException.class, () -> Fields.of(Derived.class, "nope"));
    }
}
