package dev.l7splice.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import dev.l7splice.agent.bootstrap.TransferHook;
import dev.l7splice.agent.instrument.targets.HttpEntityWriteToInstrumentation;
import dev.l7splice.agent.instrument.targets.InputStreamTransferToInstrumentation;
import dev.l7splice.agent.instrument.targets.SpringStreamUtilsInstrumentation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Weaves the real library classes on the test class path (Spring's StreamUtils, HttpClient 5's and
 * 4.5's entities) into a loader of their own, so the JVM verifies the prologues and their frames,
 * and calls them with a hook that takes every copy and with none.
 */
class HookWeaverTest {

    /** Takes every copy: writes "hooked" and answers 42 (or the limit for bounded copies). */
    private static final TransferHook TAKES_ALL = new TransferHook() {
        @Override
        public long transferTo(InputStream in, OutputStream out) throws java.io.IOException {
            out.write("hooked".getBytes());
            return 42;
        }

        @Override
        public long transfer(InputStream in, OutputStream out, long limit) {
            return limit;
        }
    };

    @AfterEach
    void noHook() {
        L7Dispatch.install((TransferHook) null);
    }

    @Test
    void springCopyAndCopyRange() throws Exception {
        Class<?> c = woven(SpringStreamUtilsInstrumentation.TYPE, SpringStreamUtilsInstrumentation.hooks());
        Method copy = c.getMethod("copy", InputStream.class, OutputStream.class);
        Method range = c.getMethod("copyRange", InputStream.class, OutputStream.class, long.class, long.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(3, copy.invoke(null, new ByteArrayInputStream(new byte[3]), out), "no hook: Spring's copy");
        L7Dispatch.install(TAKES_ALL);
        out.reset();
        assertEquals(42, copy.invoke(null, new ByteArrayInputStream(new byte[3]), out));
        assertEquals("hooked", out.toString());
        assertEquals(10L, range.invoke(null, new ByteArrayInputStream(new byte[3]), out, 0L, 9L));
        assertEquals(3L, range.invoke(null, new ByteArrayInputStream(new byte[5]), out, 2L, 4L), "start > 0: Spring's");
    }

    @Test
    void httpClient4EntityClosesItsContentWhenTaken() throws Exception {
        Class<?> c = woven(HttpEntityWriteToInstrumentation.TYPE_4, HttpEntityWriteToInstrumentation.hooks());
        Object entity = c.getConstructor().newInstance();
        boolean[] closed = {false};
        InputStream content = new ByteArrayInputStream("body".getBytes()) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        c.getMethod("setContent", InputStream.class).invoke(entity, content);
        L7Dispatch.install(TAKES_ALL);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.getMethod("writeTo", OutputStream.class).invoke(entity, out);
        assertEquals("hooked", out.toString());
        assertTrue(closed[0]);
    }

    @Test
    void httpClient5EntityIsWovenAndVerifies() throws Exception {
        Class<?> c = woven(HttpEntityWriteToInstrumentation.TYPE, HttpEntityWriteToInstrumentation.hooks());
        assertEquals("writeTo", c.getMethod("writeTo", OutputStream.class).getName());
    }

    @Test
    void aHookThatDoesNotFitLeavesTheClassToTheCaller() throws Exception {
        byte[] original = classFile(HookWeaverTest.class.getName());
        List<MethodHook> wrong = List.of(MethodHook.dispatch("springCopyAndCopyRange", "()V", "deferClose",
                "(Ljava/net/Socket;)Z", MethodHook.Outcome.RETURN_IF_TRUE, "this.noSuchField"));
        assertThrows(IllegalStateException.class, () -> HookWeaver.weave(original, wrong));
        assertNull(HookWeaver.weave(original, List.of(InputStreamTransferToInstrumentation.TRANSFER_TO)), "no match");
    }

    @Test
    void theJdkInputStreamWeaves() throws Exception {
        byte[] original = classFile("java.io.InputStream");
        byte[] woven = HookWeaver.weave(original, List.of(InputStreamTransferToInstrumentation.TRANSFER_TO));
        assertTrue(woven != null && woven.length > original.length);
        assertArrayEquals(original, classFile("java.io.InputStream"), "the input is not changed");
    }

    private static Class<?> woven(String name, List<MethodHook> hooks) throws Exception {
        byte[] bytes = HookWeaver.weave(classFile(name), hooks);
        assertTrue(bytes != null, name + " woven");
        ClassLoader parent = HookWeaverTest.class.getClassLoader();
        ClassLoader own = new ClassLoader("woven", parent) {
            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                if (n.equals(name)) {
                    synchronized (getClassLoadingLock(n)) {
                        Class<?> c = findLoadedClass(n);
                        return c != null ? c : defineClass(n, bytes, 0, bytes.length);
                    }
                }
                return super.loadClass(n, resolve);
            }
        };
        Class<?> c = Class.forName(name, true, own); // linked and verified here
        assertEquals(own, c.getClassLoader());
        return c;
    }

    private static byte[] classFile(String name) throws Exception {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(name.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
