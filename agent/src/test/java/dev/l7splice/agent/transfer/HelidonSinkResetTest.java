package dev.l7splice.agent.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.common.socket.NioSocket;
import io.helidon.common.socket.SocketWriterDirect;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http1.Http1ConnectionListenerUtil;
import io.helidon.webserver.http1.Http1ServerResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A client that resets its connection while the Helidon sink sends a file: the handler sees Helidon's own exception. */
@Timeout(60)
class HelidonSinkResetTest {

    @TempDir
    Path dir;

    private final HookFixture fixture = new HookFixture();

    @Test
    void aClientResetReachesTheHandlerAsHelidonsConnectionException() throws Exception {
        SocketTransferHook hook = fixture.hook("");
        Path file = Files.write(dir.resolve("big"), HelidonSinkTest.bytes(64 << 20));
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                     .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.socket().getLocalPort());
             SocketChannel server = listener.accept()) {
            SocketWriterDirect writer = new SocketWriterDirect(new NioSocket(server));
            OutputStream out = Http1ServerResponse.outputStream(writer, 64 << 20, Http1ConnectionListenerUtil.noOp());
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = Files.newInputStream(file)) {
                    return hook.transferTo(in, out);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            client.getInputStream().readNBytes(1 << 20);
            client.setSoLinger(true, 0);
            client.close(); // RST mid-body
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> sent.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof ServerConnectionException, e.toString());
            assertTrue(e.getCause().getCause().getCause() instanceof java.io.IOException, e.toString());
            assertEquals(0, fixture.pipes.open(), "no pipe left");
        }
    }
}
