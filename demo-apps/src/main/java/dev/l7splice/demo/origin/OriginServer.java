package dev.l7splice.demo.origin;

import dev.l7splice.demo.DaemonThreads;
import dev.l7splice.demo.DemoLog;
import dev.l7splice.demo.cli.UsageException;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.slf4j.Logger;

/**
 * The HTTP/1.1 backend of the demo: plain ServerSocket, one daemon thread per connection, one
 * request per connection. Serves {@link dev.l7splice.demo.BodyPattern} bodies of any length and
 * hashes uploads, so both directions through a proxy can be checked byte for byte.
 * Thread-safe: start and close may be called from any thread.
 */
public final class OriginServer implements Closeable {

    private static final Logger LOG = DemoLog.get(OriginServer.class);

    private final OriginOptions options;
    private final DaemonThreads connectionThreads = new DaemonThreads("origin-conn");
    private ServerSocket serverSocket;
    private Thread acceptThread;

    public OriginServer(OriginOptions options) {
        this.options = options;
    }

    /** Binds and starts accepting on a daemon thread; returns the bound port. */
    public synchronized int start() throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("already started");
        }
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(InetAddress.getByName(options.bind), options.port), 512);
        serverSocket = ss;
        acceptThread = new DaemonThreads("origin-accept").start(() -> acceptLoop(ss));
        LOG.debug("origin {} listening on {}", options.name, ss.getLocalSocketAddress());
        return ss.getLocalPort();
    }

    /** Blocks until the server socket is closed. */
    public void awaitClosed() throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = acceptThread;
        }
        if (t != null) {
            t.join();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (serverSocket != null) {
            serverSocket.close();
        }
    }

    private void acceptLoop(ServerSocket ss) {
        while (!ss.isClosed()) {
            try {
                Socket s = ss.accept();
                connectionThreads.start(new OriginExchange(s, options.name));
            } catch (IOException e) {
                if (!ss.isClosed()) {
                    LOG.warn("accept failed: {}", e.toString());
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (OriginOptions.wantsHelp(args)) {
            System.out.println(OriginOptions.USAGE);
            return;
        }
        OriginOptions options;
        try {
            options = OriginOptions.parse(args);
        } catch (UsageException e) {
            System.err.println("origin: " + e.getMessage());
            System.err.println(OriginOptions.USAGE);
            System.exit(2);
            return;
        }
        OriginServer server = new OriginServer(options);
        int port = server.start();
        System.out.println("READY port=" + port);
        System.out.flush();
        server.awaitClosed();
    }
}
