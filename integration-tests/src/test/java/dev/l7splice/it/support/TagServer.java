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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stub backend for balancing tests. It reads one line from each connection:
 * {@code GET /health ...} is answered {@code HTTP/1.0 <healthStatus>} (an HTTP check);
 * {@code BODY n} gets "TAG\n" then n bytes of the pattern, then a close; {@code HOLD} gets "TAG\n"
 * and the connection stays open until the client closes it; {@code ECHO} gets "TAG\n" then every
 * byte back. A plain connect-and-close (a TCP check) is ignored. Counts connections in progress.
 */
public final class TagServer implements AutoCloseable {

    public final String tag;
    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tag-server");
        t.setDaemon(true);
        return t;
    });
    public final AtomicInteger open = new AtomicInteger();
    public final AtomicInteger served = new AtomicInteger();
    public volatile int healthStatus = 200;

    public TagServer(String tag) throws IOException {
        this(tag, 0);
    }

    /** @param port 0 for any free port; a fixed port to restart a "killed" server in place */
    public TagServer(String tag, int port) throws IOException {
        this.tag = tag;
        socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        threads.execute(this::acceptLoop);
    }

    public int port() {
        return socket.getLocalPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                threads.execute(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        open.incrementAndGet();
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String line = readLine(in);
            if (line == null) {
                return;
            }
            if (line.startsWith("GET /health")) {
                out.write(("HTTP/1.0 " + healthStatus + " X\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                return;
            }
            served.incrementAndGet();
            out.write((tag + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (line.startsWith("BODY ")) {
                BodyPattern.writeTo(out, Long.parseLong(line.substring(5).trim()));
            } else if (line.equals("HOLD")) {
                while (in.read() >= 0) {
                    // until the client closes
                }
            } else if (line.equals("ECHO")) {
                in.transferTo(out);
            }
        } catch (IOException | RuntimeException e) {
            // a reset client, or the test closing us
        } finally {
            open.decrementAndGet();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                return sb.length() == 0 ? null : sb.toString();
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        threads.shutdownNow();
    }
}
