package dev.l7splice.agent.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.socket.NioSocket;
import io.helidon.common.socket.PlainSocket;
import io.helidon.common.socket.SocketWriterDirect;
import io.helidon.webclient.http1.Http1CallChainBase;
import io.helidon.webclient.http1.Http1ClientResponseImpl;
import io.helidon.webserver.http1.Http1ConnectionListenerUtil;
import io.helidon.webserver.http1.Http1ServerResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Helidon WebClient body of a declared length as a source, against test doubles with the client's
 * class and field names (the real client runs in HelidonIT), into the miniature Helidon server stream:
 * bytes the application and the client's buffers already hold go first, the rest is spliced, the
 * client's remaining count reaches 0 so its own next read ends the entity (and releases the
 * connection), and the kernel never reads the upstream past the body.
 */
@Timeout(60)
class HelidonClientSourceTest {

    private final HookFixture fixture = new HookFixture();

    @Test
    void aFixedLengthClientBodyIsSplicedAfterWhatHelidonHolds() throws Exception {
        SocketTransferHook hook = fixture.hook("");
        byte[] body = new byte[3_000_003];
        new Random(3).nextBytes(body);
        try (ServerSocket origin = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket upstream = new Socket(InetAddress.getLoopbackAddress(), origin.getLocalPort());
             Socket served = origin.accept();
             ServerSocketChannel listener = ServerSocketChannel.open()
                     .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.socket().getLocalPort());
             SocketChannel server = listener.accept()) {
            CompletableFuture.runAsync(() -> {
                try {
                    served.getOutputStream().write(body);
                    served.getOutputStream().write("NEXT".getBytes(StandardCharsets.US_ASCII)); // the next response's bytes
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            PlainSocket helidonSocket = new PlainSocket(upstream);
            DataReader reader = new DataReader(helidonSocket.inputStream());
            InputStream length = Http1CallChainBase.contentLength(helidonSocket, reader, body.length);
            Http1ClientResponseImpl response = new Http1ClientResponseImpl(length);
            InputStream in = response.entityStream();
            byte[] first = in.readNBytes(100); // the application read a little itself: the client's buffers hold more
            reader.pull();

            OutputStream out = Http1ServerResponse.outputStream(new SocketWriterDirect(new NioSocket(server)), body.length - 100,
                    Http1ConnectionListenerUtil.noOp());
            CompletableFuture<WireResponse> read = CompletableFuture.supplyAsync(() -> WireResponse.read(client));
            assertEquals(body.length - 100, hook.transferTo(in, out), fixture.counters.summary());
            out.close();
            Http1ServerResponse.commit(out);

            assertArrayEquals(Arrays.copyOf(body, 100), first);
            assertArrayEquals(Arrays.copyOfRange(body, 100, body.length), read.get(30, TimeUnit.SECONDS).body());
            assertEquals(0, Http1CallChainBase.remaining(length));
            assertTrue(response.released(), "the client's own read ended the entity");
            assertTrue(fixture.counters.bytesSpliced.sum() >= body.length - (128 << 10), fixture.counters.summary());
            assertEquals(0, reader.available());
            assertEquals("NEXT", new String(upstream.getInputStream().readNBytes(4), StandardCharsets.US_ASCII),
                    "the kernel stopped at the body's end");
        }
    }
}
