package dev.l7splice.it.support;

import dev.l7splice.demo.BodyPattern;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An origin inside the test JVM that controls where the body starts: for the next request it
 * writes the response head and the first {@code split} body bytes in one write, waits, then
 * writes the rest. A gateway reading the head through a BufferedInputStream therefore holds
 * exactly those {@code split} bytes of the body when it starts copying.
 */
public final class StubOrigin implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stub-origin");
        t.setDaemon(true);
        return t;
    });
    private volatile long size;
    private volatile int split;

    public StubOrigin() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.execute(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** What the next request gets: a body of {@code size} bytes, {@code split} of them with the head. */
    public void next(long size, int split) {
        this.size = size;
        this.split = split;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                pool.execute(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            for (int state = 0; state < 4; ) { // read up to the blank line ending the request head
                int c = in.read();
                if (c < 0) {
                    return;
                }
                state = (c == '\r' && state % 2 == 0) || (c == '\n' && state % 2 == 1) ? state + 1 : 0;
            }
            long n = size;
            int first = (int) Math.min(split, n);
            byte[] head = ("HTTP/1.1 200 OK\r\nContent-Length: " + n + "\r\nX-Body-SHA256: "
                    + BodyPattern.sha256Hex(n) + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] start = new byte[head.length + first];
            System.arraycopy(head, 0, start, 0, head.length);
            BodyPattern.fill(0, start, head.length, first);
            OutputStream out = s.getOutputStream();
            out.write(start);
            out.flush();
            Thread.sleep(30); // let the gateway's first buffered read take exactly that much
            byte[] buf = new byte[256 * 1024];
            for (long off = first; off < n; ) {
                int len = (int) Math.min(buf.length, n - off);
                BodyPattern.fill(off, buf, 0, len);
                out.write(buf, 0, len);
                off += len;
            }
        } catch (IOException | InterruptedException e) {
            // the test sees the short body
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
