package dev.l7splice.agent.instrument.loops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import dev.l7splice.agent.bootstrap.TransferHook;
import dev.l7splice.agent.instrument.loops.CopyLoopRewriterTest.FakeHook;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The forwarder shape and streams in fields ({@link FieldLoopFixtures}): which loops are taken,
 * which are left and with what reason and counter key; and the rewritten classes, loaded in a
 * fresh loader (so the verifier checks them), against the originals with a hook that takes every
 * transfer and one that takes none: bytes, return values, hook calls, flushes.
 */
class FieldCopyLoopTest {

    @AfterEach
    void removeHook() {
        L7Dispatch.install((TransferHook) null);
    }

    @Test
    void takesTheForwarderShapesAndLeavesTheUnprovenFieldsWithAReason() throws Exception {
        for (Class<?> c : FieldLoopFixtures.ALL) {
            CopyLoopRewriter.Result r = CopyLoopRewriter.rewrite(bytes(c), () -> null);
            for (Method m : c.getDeclaredMethods()) {
                List<LoopFinding> f = r.findings().stream().filter(x -> x.method().equals(m.getName())).toList();
                String report = f.stream().map(x -> LoopReport.line(r.className(), x)).toList().toString();
                if (m.getName().startsWith("rewritten")) {
                    assertEquals(1, f.size(), report);
                    assertTrue(f.get(0).rewritable(), report);
                } else if (m.getName().startsWith("left")) {
                    assertEquals(1, f.size(), m.getName() + " " + report);
                    assertNull(f.get(0).loop(), report);
                    assertTrue(f.get(0).key() != null && f.get(0).reason() != null, report);
                }
            }
        }
        assertLeft(SetterForwarder.class, "leftSetter", "field-written", "is written by setOut");
        assertLeft(OpenForwarder.class, "leftOpenField", "field-written", "not final and other classes may write it (not private)");
        assertLeft(TwiceForwarder.class, "leftTwice", "field-written", "more than once");
        assertLeft(ChainedForwarder.class, "leftChained", "field-written", "more than once");
        assertLeft(NestHolder.Pump.class, "leftNestmates", "field-written", "nestmates");
        assertLeft(NestHolder.Inner.class, "leftEnclosing", "not-local", "field of another object");
        assertLeft(StaticForwarder.class, "leftStatic", "not-local", "static field");
        assertLeft(Forwarder.class, "leftReturnInsteadOfBreak", "shape", "break");
        assertLeft(Forwarder.class, "leftZeroBreak", "shape", "break");
        assertLeft(AliasForwarder.class, "leftAlias", "field-written", "cannot be proven to be the one it constructs");
        assertLeft(Forwarder.class, "leftRunningFlag", "shape", "not at the top of a loop");
        assertLeft(Forwarder.class, "leftCountInField", "n-used", "a count kept in a field");
    }

    @Test
    void theTransformerCountsEachLeftLoopOnceWithItsKey() throws Exception {
        dev.l7splice.agent.runtime.Counters counters = new dev.l7splice.agent.runtime.Counters();
        CopyLoopTransformer t = new CopyLoopTransformer(null, true, counters);
        ClassLoader app = getClass().getClassLoader();
        t.transform(app.getUnnamedModule(), app, "x/Y", null, null, bytes(Forwarder.class));
        t.transform(app.getUnnamedModule(), app, "x/Z", null, null, bytes(SetterForwarder.class));
        assertEquals(3, counters.fallbacks("copy-loop-left:shape"), "leftReturnInsteadOfBreak, leftZeroBreak, leftRunningFlag");
        assertEquals(1, counters.fallbacks("copy-loop-left:n-used"));
        assertEquals(1, counters.fallbacks("copy-loop-left:field-written"));
        // Hand-off modes: the forwarder's two counting loops are left, and counted as such.
        new CopyLoopTransformer(null, false, counters).transform(app.getUnnamedModule(), app, "x/Y", null, null,
                bytes(Forwarder.class));
        assertEquals(2, counters.fallbacks("copy-loop-left:" + CopyLoopRewriter.COUNT_UNKNOWN_KEY));
    }

    @Test
    void behavesAsTheOriginalWithAndWithoutAHook() throws Exception {
        ChildFirst loader = new ChildFirst();
        Random random = new Random(7);
        for (int size : new int[] {0, 1, 999, 1000, 32 * 1024 + 1, 100_003}) {
            byte[] body = new byte[size];
            random.nextBytes(body);
            for (boolean handled : new boolean[] {true, false}) {
                for (Class<?> c : FieldLoopFixtures.ALL) {
                    if (c == NestHolder.Inner.class) {
                        continue; // needs an outer instance; its loop is left, checked above
                    }
                    for (Method m : c.getDeclaredMethods()) {
                        if (m.getName().startsWith("rewritten") || m.getName().startsWith("left")) {
                            compare(c, loader.loadClass(c.getName()), m, body, handled);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aNullFieldRunsTheLoopAsWritten() throws Exception {
        Class<?> c = new ChildFirst().loadClass(Forwarder.class.getName());
        FakeHook hook = new FakeHook(true);
        L7Dispatch.install(hook);
        Constructor<?> k = c.getDeclaredConstructor(InputStream.class, OutputStream.class);
        k.setAccessible(true);
        Object fwd = k.newInstance(null, null);
        Method m = c.getDeclaredMethod("rewrittenForward");
        m.setAccessible(true);
        InvocationTargetException e = org.junit.jupiter.api.Assertions.assertThrows(InvocationTargetException.class,
                () -> m.invoke(fwd));
        assertTrue(e.getCause() instanceof NullPointerException, e.getCause().toString());
        // A source but no sink: the dispatch declines (the hook is never asked), the loop's own write fails.
        Object half = k.newInstance(new ByteArrayInputStream(new byte[10]), null);
        e = org.junit.jupiter.api.Assertions.assertThrows(InvocationTargetException.class, () -> m.invoke(half));
        assertTrue(e.getCause() instanceof NullPointerException, e.getCause().toString());
        assertEquals(0, hook.calls.get());
    }

    private static void compare(Class<?> original, Class<?> rewritten, Method m, byte[] body, boolean handled) throws Exception {
        L7Dispatch.install((TransferHook) null);
        Flushes expectedOut = new Flushes();
        Object expected = run(original, m.getName(), body, expectedOut);
        FlushingHook hook = new FlushingHook(handled);
        L7Dispatch.install(hook);
        Flushes actualOut = new Flushes();
        Object actual = run(rewritten, m.getName(), body, actualOut);
        String what = original.getSimpleName() + "." + m.getName() + " size=" + body.length + " handled=" + handled;
        assertEquals(expected, actual, what);
        assertArrayEquals(expectedOut.toByteArray(), actualOut.toByteArray(), what);
        if (expectedOut.unflushed() == 0) {
            assertEquals(0, actualOut.unflushed(), "nothing left unflushed when the loop flushed each write: " + what);
        }
        assertEquals(m.getName().startsWith("rewritten") ? 1 : 0, hook.calls.get(), what);
    }

    private static Object run(Class<?> c, String method, byte[] body, OutputStream out) throws Exception {
        Constructor<?> k = c.getDeclaredConstructor(InputStream.class, OutputStream.class);
        k.setAccessible(true);
        Object target = k.newInstance(new ByteArrayInputStream(body), out);
        Method m = c.getDeclaredMethod(method,
                method.endsWith("Locals") ? new Class<?>[] {InputStream.class, OutputStream.class} : new Class<?>[0]);
        m.setAccessible(true);
        return method.endsWith("Locals") ? m.invoke(target, new ByteArrayInputStream(body), out) : m.invoke(target);
    }

    private static void assertLeft(Class<?> c, String method, String key, String reasonPart) throws IOException {
        CopyLoopRewriter.Result r = CopyLoopRewriter.rewrite(bytes(c), () -> null);
        LoopFinding f = r.findings().stream().filter(x -> x.method().equals(method)).findFirst().orElseThrow();
        String line = LoopReport.line(r.className(), f);
        assertEquals(key, f.key(), line);
        assertTrue(f.reason().contains(reasonPart), line);
    }

    static byte[] bytes(Class<?> c) throws IOException {
        String name = c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = c.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    /** Takes every transfer or none, and flushes at the end as the agent's hook does. */
    static final class FlushingHook implements TransferHook {
        final boolean handled;
        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        FlushingHook(boolean handled) {
            this.handled = handled;
        }

        @Override
        public long transferTo(InputStream in, OutputStream out) throws IOException {
            calls.incrementAndGet();
            if (!handled) {
                return NOT_HANDLED;
            }
            byte[] all = in.readAllBytes();
            out.write(all, 0, all.length);
            out.flush();
            return all.length;
        }
    }

    /** Counts bytes written since the last flush: a loop that flushes each write leaves none. */
    static final class Flushes extends ByteArrayOutputStream {
        private int sinceFlush;

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            sinceFlush += len;
        }

        @Override
        public void flush() {
            sinceFlush = 0;
        }

        int unflushed() {
            return sinceFlush;
        }
    }

    /** Defines every fixture class (and the nest host) from the rewriter's output, in one loader. */
    static final class ChildFirst extends ClassLoader {
        private final Map<String, byte[]> classes = new HashMap<>();

        ChildFirst() throws IOException {
            super(FieldCopyLoopTest.class.getClassLoader());
            for (Class<?> c : FieldLoopFixtures.ALL) {
                byte[] b = CopyLoopRewriter.rewrite(bytes(c), () -> null).bytes();
                classes.put(c.getName(), b != null ? b : bytes(c));
            }
            classes.put(NestHolder.class.getName(), bytes(NestHolder.class));
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : defineClass(name, b, 0, b.length);
            }
        }
    }
}
