package dev.l7splice.demo.gateway;

import dev.l7splice.demo.DaemonThreads;
import dev.l7splice.demo.VirtualThreads;
import dev.l7splice.demo.DemoLog;
import dev.l7splice.demo.cli.UsageException;
import dev.l7splice.demo.http.Sockets;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * An HTTP/1.1 reverse proxy written the way legacy Java gateways are: blocking sockets, a thread
 * per connection (or a fixed pool), BufferedInputStream head parsing and
 * {@code InputStream.transferTo} for bodies in both directions. It knows nothing about l7splice;
 * that is the point. Thread-safe: start, close and the counters may be used from any thread.
 */
public final class Gateway implements Closeable {

    private static final Logger LOG = DemoLog.get(Gateway.class);

    private final GatewayOptions options;
    private final AtomicInteger nextBackend = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    /** Upload pumps; cached because a pump lives exactly as long as one request. */
    private final ExecutorService uploadPumps;
    private final ThreadFactory connectionThreads;
    /** Null with --threads 0: then every connection gets a new thread. */
    private final ExecutorService handlerPool;
    private ServerSocket serverSocket;
    private Thread acceptThread;

    public Gateway(GatewayOptions options) {
        this.options = options;
        this.uploadPumps = Executors.newCachedThreadPool(options.virtualThreads
                ? VirtualThreads.factory("gateway-upload") : new DaemonThreads("gateway-upload"));
        this.connectionThreads = options.virtualThreads
                ? VirtualThreads.factory("gateway-conn") : new DaemonThreads("gateway-conn");
        this.handlerPool = options.threads > 0
                ? Executors.newFixedThreadPool(options.threads, new DaemonThreads("gateway-handler")) : null;
    }

    /** Binds and starts accepting on a daemon thread; returns the bound port. */
    public synchronized int start() throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("already started");
        }
        LOG.debug("carrying {}", io.netty.util.Version.identify());
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(InetAddress.getByName(options.bind), options.port), 512);
        serverSocket = ss;
        acceptThread = new DaemonThreads("gateway-accept").start(() -> acceptLoop(ss));
        LOG.debug("gateway listening on {}, backends {}, threads {}{}", ss.getLocalSocketAddress(),
                options.backends, options.threads, options.virtualThreads ? " (virtual)" : "");
        return ss.getLocalPort();
    }

    /** Requests accepted so far (one per connection). */
    public long requests() {
        return requests.get();
    }

    /** Requests that ended in an error answer or an exception. */
    public long errors() {
        return errors.get();
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

    /** Stops accepting; exchanges in flight finish on their own threads. */
    @Override
    public synchronized void close() throws IOException {
        if (serverSocket != null) {
            serverSocket.close();
        }
        if (handlerPool != null) {
            handlerPool.shutdown();
        }
        uploadPumps.shutdown();
    }

    GatewayOptions.Backend nextBackend() {
        return options.backends.get(Math.floorMod(nextBackend.getAndIncrement(), options.backends.size()));
    }

    private void acceptLoop(ServerSocket ss) {
        while (!ss.isClosed()) {
            try {
                Socket client = ss.accept();
                requests.incrementAndGet();
                ProxyExchange exchange = new ProxyExchange(client, nextBackend(), uploadPumps, errors);
                if (handlerPool == null) {
                    connectionThreads.newThread(exchange).start();
                } else {
                    try {
                        handlerPool.execute(exchange); // queues while all handlers are busy
                    } catch (RejectedExecutionException e) {
                        Sockets.closeQuietly(client); // closing down
                    }
                }
            } catch (IOException e) {
                if (!ss.isClosed()) {
                    LOG.warn("accept failed: {}", e.toString());
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (GatewayOptions.wantsHelp(args)) {
            System.out.println(GatewayOptions.USAGE);
            return;
        }
        GatewayOptions options;
        try {
            options = GatewayOptions.parse(args);
        } catch (UsageException e) {
            System.err.println("gateway: " + e.getMessage());
            System.err.println(GatewayOptions.USAGE);
            System.exit(2);
            return;
        }
        Gateway gateway = new Gateway(options);
        int port = gateway.start();
        System.out.println("READY port=" + port);
        System.out.flush();
        // SIGTERM: the JVM runs its shutdown hooks and exits; in-flight sockets die with it.
        gateway.awaitClosed();
    }
}
