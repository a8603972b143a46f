package dev.l7splice.agent.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rules of what the application's calls do while a relay holds its sockets (real connected
 * loopback sockets, so a FIN and a close can be seen).
 */
@Timeout(30)
class HandoffsTest {

    private final Handoffs h = new Handoffs(s -> -1);
    private final List<Socket> open = new ArrayList<>();
    private final ExecutorService other = Executors.newSingleThreadExecutor();
    private final Object transfer = new Object();

    @AfterEach
    void closeAll() throws IOException {
        other.shutdownNow();
        for (Socket s : open) {
            s.close();
        }
    }

    /** A connected socket; its peer is kept open until the test ends. */
    private Socket connected() throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            open.add(ss.accept());
            open.add(s);
            return s;
        }
    }

    /** Runs {@code r} on another application thread (one that handed nothing off). */
    private void onOtherThread(Runnable r) throws Exception {
        CompletableFuture.runAsync(r, other).get(5, TimeUnit.SECONDS);
    }

    @Test
    void nothingHandedOffMeansEveryCallGoesThrough() throws Exception {
        Socket s = connected();
        assertFalse(h.deferClose(s));
        assertFalse(h.deferShutdownOutput(s));
        h.beforeWrite(s);
        h.beforeRead(s);
    }

    @Test
    void closeOfTheDestinationHappensAfterTheBody() throws Exception {
        Socket src = connected();
        Socket dst = connected();
        h.begin(src, dst, transfer);
        assertTrue(h.deferClose(dst));
        assertFalse(dst.isClosed());
        assertFalse(dst.isOutputShutdown(), "no FIN while the body is relayed into it");
        h.end(src, dst, transfer, false);
        assertTrue(dst.isClosed(), "closed once the body is delivered");
        assertEquals(0, h.size());
    }

    @Test
    void theHandingThreadsCloseOfItsSourceWaitsForTheEndOfStream() throws Exception {
        Socket src = connected();
        Socket dst = connected();
        h.begin(src, dst, transfer);
        assertTrue(h.deferClose(src));
        assertFalse(src.isOutputShutdown(), "for this thread the copy is still running: no FIN yet");
        h.end(src, dst, transfer, false);
        assertTrue(src.isClosed());
    }

    @Test
    void anotherThreadsCloseOfASourceSendsItsFinAndTheRelayReadsOn() throws Exception {
        Socket src = connected();
        Socket dst = connected();
        h.begin(src, dst, transfer);
        onOtherThread(() -> assertTrue(h.deferClose(src)));
        assertTrue(src.isOutputShutdown(), "the FIN goes out: nothing was ever relayed into it");
        assertFalse(src.isClosed(), "the relay still reads it");
        h.end(src, dst, transfer, false);
        assertTrue(src.isClosed());
    }

    /**
     * The forwarder of issue 10: a thread per direction, each hands its direction off and shuts its
     * destination's output down; a third thread closes both sockets once both have returned. No
     * close may end a direction early, whichever ends first.
     */
    @Test
    void aForwarderThatClosesAfterBothDirectionsReturnedLosesNothing() throws Exception {
        Socket client = connected();
        Socket backend = connected();
        Object upload = new Object();
        Object download = new Object();
        h.begin(client, backend, upload);
        onOtherThread(() -> h.begin(backend, client, download));
        assertTrue(h.deferShutdownOutput(backend));
        onOtherThread(() -> assertTrue(h.deferShutdownOutput(client)));
        Thread closer = new Thread(() -> {
            h.deferClose(client);
            h.deferClose(backend);
        });
        closer.start();
        closer.join();
        h.end(client, backend, upload, false); // the client half-closed after its upload
        assertTrue(backend.isOutputShutdown(), "the upload is delivered: its FIN goes out");
        assertFalse(backend.isClosed(), "the download is still read from it");
        assertFalse(client.isOutputShutdown(), "the download is still written into it");
        h.end(backend, client, download, false);
        assertTrue(client.isClosed());
        assertTrue(backend.isClosed());
        assertEquals(0, h.size());
    }

    /**
     * The demo gateway's exchange: the handler thread hands the download off and closes both
     * sockets in its finally block, while an upload pump (another thread) still relays the client's
     * stream. The download is this thread's own, so the closes wait for it; then the client gets its
     * FIN and the upload is read on to its end.
     */
    @Test
    void aHandlerThatClosesBothAfterItsDownloadWaitsForItThenLetsTheUploadEnd() throws Exception {
        Socket client = connected();
        Socket backend = connected();
        Object upload = new Object();
        Object download = new Object();
        onOtherThread(() -> h.begin(client, backend, upload));
        h.begin(backend, client, download);
        h.deferClose(backend);
        h.deferClose(client);
        assertFalse(client.isOutputShutdown());
        assertFalse(backend.isOutputShutdown(), "no FIN to the backend before its response was read");
        h.end(backend, client, download, false);
        assertTrue(client.isOutputShutdown(), "the download is delivered: the client gets its FIN");
        assertFalse(client.isClosed(), "the upload is still read from it");
        assertFalse(backend.isClosed(), "the upload is still written into it");
        h.end(client, backend, upload, false);
        assertTrue(client.isClosed());
        assertTrue(backend.isClosed());
    }

    @Test
    void theHandingThreadsReadsAndWritesWaitForItsTransferOthersDoNot() throws Exception {
        Socket src = connected();
        Socket dst = connected();
        h.begin(src, dst, transfer);
        onOtherThread(() -> {
            try {
                h.beforeWrite(src); // another thread may answer the source's peer meanwhile
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread self = Thread.currentThread();
        CompletableFuture<Void> later = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            h.end(src, dst, transfer, false);
        });
        long t0 = System.nanoTime();
        h.beforeWrite(src); // this thread is still "inside" its transferTo
        assertTrue(System.nanoTime() - t0 > 200_000_000L, "waited for the end of " + self.getName() + "'s transfer");
        later.get(5, TimeUnit.SECONDS);
    }

    @Test
    void writesWaitForTheBodyAndShutdownIsDeferred() throws Exception {
        Socket src = connected();
        Socket dst = connected();
        h.begin(src, dst, transfer);
        assertTrue(h.deferShutdownOutput(dst));
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
            try {
                h.beforeWrite(dst);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, other);
        Thread.sleep(200);
        assertFalse(write.isDone(), "the write waits for the relayed body");
        assertFalse(dst.isOutputShutdown());
        h.end(src, dst, transfer, false);
        write.get(5, TimeUnit.SECONDS);
        assertTrue(dst.isOutputShutdown());
    }

    @Test
    void aFailedTransferClosesBothSockets() throws Exception {
        Socket src = connected();
        Socket dst = connected();
        h.begin(src, dst, transfer);
        h.end(src, dst, transfer, true);
        assertTrue(src.isClosed());
        assertTrue(dst.isClosed());
    }
}
