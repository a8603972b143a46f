package dev.l7splice.agent.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rules of what the application's calls do while a relay holds its sockets. */
@Timeout(30)
class HandoffsTest {

    private final Handoffs h = new Handoffs();
    private final Socket src = new Socket();
    private final Socket dst = new Socket();
    private final Object transfer = new Object();
    private final AtomicInteger stops = new AtomicInteger();

    @Test
    void nothingHandedOffMeansEveryCallGoesThrough() throws Exception {
        assertFalse(h.deferClose(dst));
        assertFalse(h.deferShutdownOutput(dst));
        h.beforeWrite(dst);
        h.beforeRead(src);
    }

    @Test
    void closeOfTheDestinationHappensAfterTheBody() {
        h.begin(src, dst, transfer, stops::incrementAndGet);
        assertTrue(h.deferClose(dst));
        assertFalse(dst.isClosed());
        h.end(src, dst, transfer, false);
        assertTrue(dst.isClosed(), "closed once the body is delivered");
        assertEquals(0, h.size());
        assertEquals(0, stops.get(), "a pure source is read to its end");
    }

    @Test
    void closeOfAPureSourceWaitsForItsEndOfStream() {
        h.begin(src, dst, transfer, stops::incrementAndGet);
        assertTrue(h.deferClose(src));
        assertEquals(0, stops.get());
        assertFalse(src.isClosed());
        h.end(src, dst, transfer, false);
        assertTrue(src.isClosed());
    }

    @Test
    void closingATwoWaySocketStopsItsReadersOnceItsBodyIsDelivered() {
        Object upload = new Object();
        Object download = new Object();
        Socket client = new Socket();
        Socket backend = new Socket();
        h.begin(client, backend, upload, stops::incrementAndGet);   // client -> backend
        h.begin(backend, client, download, () -> { });               // backend -> client
        assertTrue(h.deferClose(client));
        assertEquals(0, stops.get(), "the download into the client is still running");
        h.end(backend, client, download, false);
        assertEquals(1, stops.get(), "the upload is asked to stop");
        assertFalse(client.isClosed(), "closed when the upload has stopped");
        h.end(client, backend, upload, false);
        assertTrue(client.isClosed());
    }

    @Test
    void writesWaitForTheBodyAndShutdownIsDeferred() throws Exception {
        h.begin(src, dst, transfer, stops::incrementAndGet);
        assertTrue(h.deferShutdownOutput(dst));
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
            try {
                h.beforeWrite(dst);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertFalse(write.isDone(), "the write waits for the relayed body");
        h.end(src, dst, transfer, false);
        write.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFailedTransferClosesBothSockets() {
        h.begin(src, dst, transfer, stops::incrementAndGet);
        h.end(src, dst, transfer, true);
        assertTrue(src.isClosed());
        assertTrue(dst.isClosed());
    }
}
