package dev.l7splice.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Consumer;

/**
 * The accept loop of the test servers that run as their own JVM main classes (started by
 * {@link JavaProcess} or bench/targets with the test classes on the class path): a loopback
 * listener, the {@code READY port=N} line, then one daemon thread per connection (a virtual thread
 * with {@code -Dit.virtual-threads=true}).
 */
public final class AcceptLoop {

    private AcceptLoop() {
    }

    /**
     * Listens on a free loopback port, prints {@code READY port=N} and hands each accepted socket to
     * {@code handler} on a new daemon thread named {@code threadName}. The handler owns the socket
     * (closes it) and should not throw. Never returns; the JVM ends when the test destroys it.
     */
    public static void serveForever(int backlog, String threadName, Consumer<Socket> handler) throws IOException {
        ServerSocket server = new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
        System.out.println("READY port=" + server.getLocalPort());
        System.out.flush();
        // -Dit.virtual-threads=true (Java 21+): each connection on a virtual thread instead.
        java.util.concurrent.ThreadFactory virtual = Boolean.getBoolean("it.virtual-threads")
                ? dev.l7splice.demo.VirtualThreads.factory(threadName) : null;
        while (true) {
            Socket client = server.accept();
            Runnable serve = () -> handler.accept(client);
            Thread t = virtual != null ? virtual.newThread(serve) : new Thread(serve, threadName);
            t.setDaemon(true);
            t.start();
        }
    }
}
