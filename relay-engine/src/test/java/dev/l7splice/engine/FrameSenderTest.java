package dev.l7splice.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.kernel.nativeio.LinuxIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Whole frames over a non-blocking Unix socket whose buffer fills: none cut, none interleaved. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FrameSenderTest {

    private static final int FRAME = 60_000;
    private Path dir;
    private int listen = -1;
    private int client = -1;
    private int server = -1;

    @BeforeEach
    void connect() throws Exception {
        dir = Files.createTempDirectory("l7-sender");
        String path = dir.resolve("s.sock").toString();
        listen = LinuxIo.unixListen(path, 0600);
        client = LinuxIo.unixConnect(path);
        server = LinuxIo.accept(listen);
        assertTrue(listen >= 0 && client >= 0 && server >= 0);
        assertEquals(0, LinuxIo.setNonBlocking(client));
    }

    @AfterEach
    void close() throws Exception {
        for (int fd : new int[] {client, server, listen}) {
            if (fd >= 0) {
                LinuxIo.close(fd);
            }
        }
        Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }

    @Test
    void concurrentSendersNeverInterleaveWhileTheReaderIsSlow() throws Exception {
        FrameSender sender = new FrameSender(10_000);
        int threads = 4;
        int perThread = 20;
        List<Thread> senders = new ArrayList<>();
        int[] results = new int[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                byte[] frame = new byte[FRAME];
                Arrays.fill(frame, (byte) ('a' + id));
                for (int i = 0; i < perThread && results[id] == 0; i++) {
                    results[id] = sender.send(client, frame, null);
                }
            });
            senders.add(th);
            th.start();
        }
        byte[] all = new byte[threads * perThread * FRAME];
        int got = 0;
        byte[] buf = new byte[4096];
        while (got < all.length) {
            int n = LinuxIo.recvWithFds(server, buf, 0, buf.length, null);
            assertTrue(n > 0, "read " + n);
            System.arraycopy(buf, 0, all, got, n);
            got += n;
            if (got % (8 * buf.length) == 0) {
                Thread.sleep(1); // a slow reader: the senders' buffer fills again and again
            }
        }
        for (Thread th : senders) {
            th.join();
        }
        for (int r : results) {
            assertEquals(0, r);
        }
        for (int f = 0; f < threads * perThread; f++) {
            byte first = all[f * FRAME];
            for (int i = 1; i < FRAME; i++) {
                assertEquals(first, all[f * FRAME + i], "frame " + f + " interleaved at byte " + i);
            }
        }
    }

    @Test
    void aSocketNobodyReadsIsReportedStalled() {
        FrameSender sender = new FrameSender(600);
        byte[] frame = new byte[FRAME];
        int r = 0;
        for (int i = 0; i < 1000 && r == 0; i++) {
            r = sender.send(client, frame, null);
        }
        assertEquals(FrameSender.STALLED, r);
    }
}
