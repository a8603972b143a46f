package dev.l7splice.agent.transfer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Two connected loopback sockets for tests, and the two things the hook tests do on the far ends: read everything,
 * and write a body then shut the output down. The static helpers are meant to run on another thread (CompletableFuture).
 */
final class SocketPair implements AutoCloseable {

    final Socket client;
    final Socket server;

    SocketPair() throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            client = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            server = ss.accept();
        }
    }

    /** Everything {@code s} receives up to end of stream. */
    static byte[] readAll(Socket s) {
        try {
            return s.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code body[from..]} and ends the stream; a failure only leaves the reading side with a short body. */
    static void writeAndShutdown(Socket s, byte[] body, int from) {
        try {
            s.getOutputStream().write(body, from, body.length - from);
            s.shutdownOutput();
        } catch (IOException e) {
            // the reading side sees a short body and the test's byte comparison fails
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
        server.close();
    }
}
