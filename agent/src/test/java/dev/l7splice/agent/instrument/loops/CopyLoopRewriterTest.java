package dev.l7splice.agent.instrument.loops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import dev.l7splice.agent.bootstrap.TransferHook;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the rewriter on {@link CopyLoopFixtures}, loads the result in a fresh class loader (so the
 * verifier checks it), and compares every method with the original: bytes, return value (exit
 * state, counters), with a fake hook that takes every transfer and one that takes none.
 */
class CopyLoopRewriterTest {

    private static final String FIXTURES = CopyLoopFixtures.class.getName();

    @AfterEach
    void removeHook() {
        L7Dispatch.install((TransferHook) null);
    }

    @Test
    void rewritesTheProvenLoopsAndLeavesTheOthersWithAReason() throws Exception {
        CopyLoopRewriter.Result r = CopyLoopRewriter.rewrite(fixtureBytes(), () -> null);
        assertNotNull(r.bytes());
        for (Method m : CopyLoopFixtures.class.getDeclaredMethods()) {
            List<LoopFinding> f = r.findings().stream().filter(x -> x.method().equals(m.getName())).toList();
            String report = r.findings().stream().map(x -> LoopReport.line(r.className(), x)).toList().toString();
            if (m.getName().startsWith("rewritten")) {
                assertEquals(1, f.size(), m.getName() + " " + report);
                assertTrue(f.get(0).rewritable(), m.getName() + " " + report);
            } else if (m.getName().startsWith("left")) {
                assertEquals(1, f.size(), m.getName() + " " + report);
                assertNull(f.get(0).loop(), report);
                assertTrue(f.get(0).line() > 0 && f.get(0).reason() != null, report);
            }
        }
        String xor = LoopReport.line(r.className(), find(r, "leftXor"));
        assertTrue(xor.contains("CopyLoopFixtures.leftXor line ") && xor.contains("left, the buffer is used"), xor);
        assertTrue(LoopReport.line(r.className(), find(r, "leftOtherBuffer")).contains("different buffer"));
        assertTrue(LoopReport.line(r.className(), find(r, "leftNUsedElsewhere")).contains("n is used"));
        assertTrue(LoopReport.line(r.className(), find(r, "leftOffset")).contains("offset is not 0"));
        assertTrue(LoopReport.line(r.className(), find(r, "leftTwoStreams")).contains("writes to two streams"));
        assertTrue(LoopReport.line(r.className(), find(r, "rewrittenPlain")).endsWith(": rewritten"));
    }

    @Test
    void aLoaderThatCannotSeeTheDispatchGetsNothing() throws Exception {
        CopyLoopRewriter.Result r = CopyLoopRewriter.rewrite(fixtureBytes(), () -> CopyLoopRewriter.LOADER_BLIND);
        assertNull(r.bytes());
        assertEquals(CopyLoopRewriter.LOADER_BLIND, find(r, "rewrittenPlain").reason());
    }

    @Test
    void behavesAsTheOriginalWithAndWithoutAHook() throws Exception {
        Class<?> rewritten = new ChildFirst(CopyLoopRewriter.rewrite(fixtureBytes(), () -> null).bytes()).loadClass(FIXTURES);
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 4095, 4096, 100_003}) {
            byte[] body = new byte[size];
            random.nextBytes(body);
            for (boolean handled : new boolean[] {true, false}) {
                for (Method m : CopyLoopFixtures.class.getDeclaredMethods()) {
                    if (m.getName().startsWith("rewritten") || m.getName().startsWith("left")) {
                        compare(m, rewritten, body, handled);
                    }
                }
            }
        }
    }

    @Test
    void handOffModesLeaveLoopsThatCount() throws Exception {
        CopyLoopRewriter.Result r = CopyLoopRewriter.rewrite(fixtureBytes(), () -> null, false);
        assertTrue(find(r, "rewrittenPlain").rewritable());
        assertEquals(CopyLoopRewriter.COUNT_UNKNOWN, find(r, "rewrittenForForm").reason());
        assertEquals(CopyLoopRewriter.COUNT_UNKNOWN, find(r, "rewrittenPositiveFlushLongCounter").reason());
    }

    @Test
    void aNullSourceFailsAsTheOriginalDoes() throws Exception {
        Class<?> rewritten = new ChildFirst(CopyLoopRewriter.rewrite(fixtureBytes(), () -> null).bytes()).loadClass(FIXTURES);
        FakeHook hook = new FakeHook(true);
        L7Dispatch.install(hook);
        Method m = rewritten.getMethod("rewrittenPlain", InputStream.class, OutputStream.class);
        java.lang.reflect.InvocationTargetException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.lang.reflect.InvocationTargetException.class, () -> m.invoke(null, null, new ByteArrayOutputStream()));
        assertTrue(e.getCause() instanceof NullPointerException, e.getCause().toString());
        assertEquals(0, hook.calls.get());
    }

    @Test
    void theTransformerSkipsTheJdkLibrariesAndNamedModules() throws Exception {
        assertTrue(CopyLoopTransformer.skipped("java/io/InputStream"));
        assertTrue(CopyLoopTransformer.skipped("org/apache/commons/io/IOUtils"));
        assertTrue(CopyLoopTransformer.skipped("dev/l7splice/shaded/asm/ClassReader"));
        assertTrue(!CopyLoopTransformer.skipped("com/example/LegacyProxy"));
        assertTrue(CopyLoopTransformer.mayHoldCopyLoop(fixtureBytes()));
        assertTrue(!CopyLoopTransformer.mayHoldCopyLoop("nothing to see".getBytes()));
        assertEquals(CopyLoopRewriter.NAMED_MODULE, CopyLoopTransformer.refusal(Object.class.getModule(), null));
        CopyLoopTransformer t = new CopyLoopTransformer(null, true, null);
        ClassLoader app = getClass().getClassLoader();
        assertNull(t.transform(Object.class.getModule(), app, "x/Y", null, null, fixtureBytes()));
        assertNotNull(t.transform(app.getUnnamedModule(), app, "x/Y", null, null, fixtureBytes()));
        assertNull(t.transform(app.getUnnamedModule(), app, "x/Y", null, null, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
    }

    private static void compare(Method original, Class<?> rewritten, byte[] body, boolean handled) throws Exception {
        L7Dispatch.install((TransferHook) null);
        ByteArrayOutputStream expectedOut = new ByteArrayOutputStream();
        Object expected = original.invoke(null, args(original, new ByteArrayInputStream(body), expectedOut));
        FakeHook hook = new FakeHook(handled);
        L7Dispatch.install(hook);
        ByteArrayOutputStream actualOut = new ByteArrayOutputStream();
        Method m = rewritten.getMethod(original.getName(), original.getParameterTypes());
        Object actual = m.invoke(null, args(m, new ByteArrayInputStream(body), actualOut));
        String what = original.getName() + " size=" + body.length + " handled=" + handled;
        assertEquals(expected, actual, what);
        assertArrayEquals(expectedOut.toByteArray(), actualOut.toByteArray(), what);
        boolean offloadable = original.getName().startsWith("rewritten");
        assertEquals(offloadable ? 1 : 0, hook.calls.get(), what);
    }

    private static Object[] args(Method m, InputStream in, OutputStream out) {
        return m.getParameterCount() == 3 ? new Object[] {in, out, true} : new Object[] {in, out};
    }

    private static LoopFinding find(CopyLoopRewriter.Result r, String method) {
        return r.findings().stream().filter(x -> x.method().equals(method)).findFirst().orElseThrow();
    }

    static byte[] fixtureBytes() throws IOException {
        try (InputStream in = CopyLoopFixtures.class.getResourceAsStream("CopyLoopFixtures.class")) {
            return in.readAllBytes();
        }
    }

    /** Takes every transfer (moving the bytes itself) or none, counting calls. */
    static final class FakeHook implements TransferHook {
        final boolean handled;
        final AtomicInteger calls = new AtomicInteger();

        FakeHook(boolean handled) {
            this.handled = handled;
        }

        @Override
        public long transferTo(InputStream in, OutputStream out) throws IOException {
            calls.incrementAndGet();
            if (!handled) {
                return NOT_HANDLED;
            }
            byte[] all = in.readAllBytes();
            out.write(all);
            return all.length;
        }
    }

    /** Defines the rewritten fixture class itself; everything else comes from the test's loader. */
    static final class ChildFirst extends ClassLoader {
        private final byte[] bytes;

        ChildFirst(byte[] bytes) {
            super(CopyLoopRewriterTest.class.getClassLoader());
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(FIXTURES)) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : defineClass(name, bytes, 0, bytes.length);
                }
            }
            return super.loadClass(name, resolve);
        }
    }
}
