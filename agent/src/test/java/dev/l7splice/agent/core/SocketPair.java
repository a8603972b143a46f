package dev.l7splice.agent.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Two connected loopback sockets for tests. */
final class SocketPair implements AutoCloseable {

    final Socket client;
    final Socket server;

    SocketPair() throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            client = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            server = ss.accept();
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
        server.close();
    }
}
