package dev.l7splice.agent.transfer;

import static dev.l7splice.agent.transfer.SocketPair.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.l7splice.agent.bootstrap.TransferHook;
import dev.l7splice.agent.runtime.Counters;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** File streams to real loopback sockets through the hook: sendfile(2), the file position kept as the JDK keeps it. */
@Timeout(60)
class FileToSocketTest {

    @TempDir
    Path dir;

    private final HookFixture fixture = new HookFixture();
    private final Counters counters = fixture.counters;

    private Path file(int size) throws IOException {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return Files.write(dir.resolve("f" + size), b);
    }

    @Test
    void fileInputStreamFromItsPositionToTheEnd() throws Exception {
        SocketTransferHook hook = fixture.hook("");
        for (int size : new int[] {0, 1, 100_003, 3 << 20}) {
            Path f = file(size);
            byte[] all = Files.readAllBytes(f);
            int skip = size / 3;
            try (SocketPair p = new SocketPair(); FileInputStream in = new FileInputStream(f.toFile())) {
                CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> readAll(p.server));
                in.skip(skip);
                assertEquals(size - skip, hook.transferTo(in, p.client.getOutputStream()));
                assertEquals(size, in.getChannel().position(), "the position advanced as the JDK's loop leaves it");
                assertEquals(-1, in.read());
                p.client.shutdownOutput();
                assertArrayEquals(Arrays.copyOfRange(all, skip, size), got.get(30, TimeUnit.SECONDS));
            }
        }
        assertEquals(100_003 - 100_003 / 3 + (3 << 20) - (3 << 20) / 3 + 1, counters.bytesFromFiles.sum());
    }

    @Test
    void filesNewInputStreamAndABoundedRange() throws Exception {
        SocketTransferHook hook = fixture.hook("");
        Path f = file(1 << 20);
        byte[] all = Files.readAllBytes(f);
        try (SocketPair p = new SocketPair(); InputStream in = Files.newInputStream(f)) {
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> readAll(p.server));
            in.skip(1000);
            assertEquals(5000, hook.transfer(in, p.client.getOutputStream(), 5000));
            byte[] next = in.readNBytes(10); // the stream goes on right after the range
            assertArrayEquals(Arrays.copyOfRange(all, 6000, 6010), next);
            assertEquals((1 << 20) - 6010, hook.transferTo(in, p.client.getOutputStream()));
            p.client.shutdownOutput();
            byte[] want = new byte[5000 + (1 << 20) - 6010];
            System.arraycopy(all, 1000, want, 0, 5000);
            System.arraycopy(all, 6010, want, 5000, (1 << 20) - 6010);
            assertArrayEquals(want, got.get(30, TimeUnit.SECONDS));
        }
        assertEquals(5000 + (1 << 20) - 6010, counters.bytesFromFiles.sum());
        assertEquals(2, counters.offloaded.sum());
    }

    @Test
    void otherDestinationsAndTheToggleLeaveItToTheJdk() throws Exception {
        Path f = file(1000);
        try (FileInputStream in = new FileInputStream(f.toFile())) {
            assertEquals(TransferHook.NOT_HANDLED, fixture.hook("").transferTo(in, new ByteArrayOutputStream()));
        }
        try (SocketPair p = new SocketPair(); FileInputStream in = new FileInputStream(f.toFile())) {
            SocketTransferHook off = fixture.hook("instrumentation.file-transfer.enabled=false");
            assertEquals(TransferHook.NOT_HANDLED, off.transferTo(in, p.client.getOutputStream()));
            assertEquals(0, in.getChannel().position());
        }
        assertEquals(0, counters.bytesFromFiles.sum());
    }

    /** What a BufferedOutputStream over the socket holds (a response head) goes out before the file, and the buffer is left empty. */
    @Test
    void theBuffersBytesGoFirst() throws Exception {
        SocketTransferHook hook = fixture.hook("");
        Path f = file(200_001);
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Length: 200001\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (SocketPair p = new SocketPair(); FileInputStream in = new FileInputStream(f.toFile())) {
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> readAll(p.server));
            java.io.BufferedOutputStream out = new java.io.BufferedOutputStream(p.client.getOutputStream());
            out.write(head);
            assertEquals(200_001, hook.transferTo(in, out));
            out.write('!'); // the application writes on: after the body
            out.flush();
            p.client.shutdownOutput();
            ByteArrayOutputStream want = new ByteArrayOutputStream();
            want.write(head);
            want.write(Files.readAllBytes(f));
            want.write('!');
            assertArrayEquals(want.toByteArray(), got.get(30, TimeUnit.SECONDS));
        }
        assertEquals(200_001, counters.bytesFromFiles.sum());
    }

    /** Appended while it is being sent (the reader late): sent to its new end, as the JDK's read-until--1 loop would. */
    @Test
    void aFileThatGrowsWhileSentGoesOutToItsNewEnd() throws Exception {
        SocketTransferHook hook = fixture.hook("");
        Path f = file(32 << 20);
        byte[] more = new byte[1 << 20];
        new Random(9).nextBytes(more);
        try (SocketPair p = new SocketPair(); FileInputStream in = new FileInputStream(f.toFile())) {
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> {
                try {
                    Thread.sleep(300); // the socket's buffers fill; the sender waits in the middle of the file
                    Files.write(f, more, java.nio.file.StandardOpenOption.APPEND);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return readAll(p.server);
            });
            assertEquals((32 << 20) + more.length, hook.transferTo(in, p.client.getOutputStream()));
            p.client.shutdownOutput();
            assertArrayEquals(Files.readAllBytes(f), got.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPositionPastTheEndSendsNothing() throws Exception {
        SocketTransferHook hook = fixture.hook("");
        Path f = file(1000);
        try (SocketPair p = new SocketPair(); FileInputStream in = new FileInputStream(f.toFile())) {
            in.getChannel().position(5000);
            assertEquals(0, hook.transferTo(in, p.client.getOutputStream()));
            assertEquals(5000, in.getChannel().position());
        }
    }

    @Test
    void aResetPeerIsASocketException() throws Exception {
        SocketTransferHook hook = fixture.hook("");
        Path f = file(64 << 20);
        try (SocketPair p = new SocketPair(); FileInputStream in = new FileInputStream(f.toFile())) {
            p.server.setSoLinger(true, 0);
            CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(200);
                    p.server.close();
                } catch (Exception ignored) {
                    // the test then fails on the missing exception
                }
            });
            assertThrows(SocketException.class, () -> hook.transferTo(in, p.client.getOutputStream()));
        }
    }
}
