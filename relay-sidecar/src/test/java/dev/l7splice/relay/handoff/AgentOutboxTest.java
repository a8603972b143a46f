package dev.l7splice.relay.handoff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.kernel.nativeio.LinuxIo;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Frames to an agent that does not read: nothing blocks, nothing is reordered, the bound holds. */
@Timeout(30)
class AgentOutboxTest {

    private int listen;
    private int sender;
    private int reader;
    private Path dir;

    @BeforeEach
    void connect() throws Exception {
        dir = Files.createTempDirectory("outbox");
        String path = dir.resolve("s").toString();
        listen = LinuxIo.unixListen(path, 0600);
        sender = LinuxIo.unixConnect(path);
        reader = LinuxIo.accept(listen);
        assertTrue(listen >= 0 && sender >= 0 && reader >= 0);
        assertEquals(0, LinuxIo.setNonBlocking(sender));
    }

    @AfterEach
    void close() throws Exception {
        LinuxIo.close(sender);
        LinuxIo.close(reader);
        LinuxIo.close(listen);
        Files.deleteIfExists(dir.resolve("s"));
        Files.deleteIfExists(dir);
    }

    private static byte[] frame(int i) {
        byte[] b = new byte[40];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (i * 31 + k);
        }
        return b;
    }

    @Test
    void sendsNeverBlockAndEveryByteArrivesInOrderOnceTheAgentReads() {
        AtomicInteger wakes = new AtomicInteger();
        AgentOutbox out = new AgentOutbox(sender, 16 << 20, wakes::incrementAndGet);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int n = 50_000; // 2 MB of small frames: far more than the socket buffer holds
        for (int i = 0; i < n; i++) {
            assertTrue(out.send(frame(i)));
            expected.writeBytes(frame(i));
        }
        assertTrue(out.pending(), "the rest is queued, not waited for");
        assertTrue(wakes.get() >= 1, "the control thread was told");
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (got.size() < expected.size()) {
            out.flush();
            int r = LinuxIo.read(reader, buf, 0, buf.length);
            assertTrue(r > 0, "read " + r);
            got.write(buf, 0, r);
        }
        assertFalse(out.flush());
        assertArrayEquals(expected.toByteArray(), got.toByteArray());
        assertNull(out.trouble(System.nanoTime(), 1_000_000_000L));
    }

    @Test
    void anAgentThatStopsReadingIsDroppedPastTheLimitNotWaitedFor() {
        AgentOutbox out = new AgentOutbox(sender, 64 << 10, () -> { });
        int sent = 0;
        while (out.send(frame(sent))) {
            sent++;
        }
        assertTrue(sent > 1000, "the socket and the queue took " + sent + " frames first");
        assertNotNull(out.trouble(System.nanoTime(), Long.MAX_VALUE));
        assertFalse(out.send(frame(0)), "nothing more is taken");
    }

    @Test
    void aQueueThatMakesNoProgressIsAStall() throws Exception {
        AgentOutbox out = new AgentOutbox(sender, 16 << 20, () -> { });
        for (int i = 0; i < 20_000; i++) {
            out.send(frame(i));
        }
        assertTrue(out.pending());
        assertNull(out.trouble(System.nanoTime(), 60_000_000_000L));
        Thread.sleep(50);
        assertNotNull(out.trouble(System.nanoTime(), 10_000_000L), "nothing taken for longer than the stall timeout");
    }
}
