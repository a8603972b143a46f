package dev.l7splice.agent.instrument.loops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.agent.bootstrap.L7Dispatch;
import dev.l7splice.agent.bootstrap.TransferHook;
import dev.l7splice.agent.transfer.LoopHookFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rewritten {@code ForwardThread} loop ({@link Forwarder}, streams in fields) between real
 * loopback sockets, with the agent's own socket hook installed: every byte arrives, the loop's
 * count is the body's size, and the body went through the agent (spliced when large).
 */
@Timeout(60)
class FieldLoopSocketTest {

    @AfterEach
    void removeHook() {
        L7Dispatch.install((TransferHook) null);
    }

    @Test
    void theForwarderLoopSplicesBetweenSockets() throws Exception {
        LoopHookFixture agent = new LoopHookFixture();
        L7Dispatch.install(agent.hook("splice.min-bytes=0"));
        Class<?> fwd = new FieldCopyLoopTest.ChildFirst().loadClass(Forwarder.class.getName());
        Random random = new Random(3);
        for (int size : new int[] {0, 1, 32 * 1024 - 1, 32 * 1024 + 1, 1 << 20, 8 << 20}) {
            byte[] body = new byte[size];
            random.nextBytes(body);
            long before = agent.bytesSpliced() + agent.bytesCopied();
            long splicedBefore = agent.bytesSpliced();
            try (Pair src = new Pair(); Pair dst = new Pair()) {
                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(dst.far));
                CompletableFuture.runAsync(() -> writeAndShutdown(src.far, body));
                Constructor<?> k = fwd.getDeclaredConstructor(InputStream.class, OutputStream.class);
                k.setAccessible(true);
                Object f = k.newInstance(src.near.getInputStream(), dst.near.getOutputStream());
                Method m = fwd.getDeclaredMethod("rewrittenForward");
                m.setAccessible(true);
                assertEquals((long) size, m.invoke(f), "the loop's count, size=" + size);
                dst.near.shutdownOutput();
                assertArrayEquals(body, received.get(30, TimeUnit.SECONDS), "size=" + size);
            }
            assertEquals(size, agent.bytesSpliced() + agent.bytesCopied() - before, "through the agent, size=" + size);
            if (size >= 1 << 20) {
                assertTrue(agent.bytesSpliced() - splicedBefore > 0, "spliced, size=" + size);
            }
        }
    }

    private static byte[] readAll(Socket s) {
        try {
            return s.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeAndShutdown(Socket s, byte[] body) {
        try {
            s.getOutputStream().write(body);
            s.shutdownOutput();
        } catch (IOException e) {
            // the reading side sees a short body and the comparison fails
        }
    }

    /** Two connected loopback sockets: {@code near} is the forwarder's, {@code far} the peer's. */
    private static final class Pair implements AutoCloseable {
        final Socket near;
        final Socket far;

        Pair() throws IOException {
            try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                near = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
                far = ss.accept();
            }
        }

        @Override
        public void close() throws IOException {
            near.close();
            far.close();
        }
    }
}
