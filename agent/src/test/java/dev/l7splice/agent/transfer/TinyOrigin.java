package dev.l7splice.agent.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A keep-alive HTTP/1.1 origin for the client-library source tests: every request gets {@code body}
 * with a Content-Length; the path "/cut" gets a Content-Length and only part of the body, then the
 * connection closes; "/eof" gets the body with no length and then closes; "/chunked" gets it chunked (with a
 * trailer), "/badchunk" chunked with a size line that is not hex halfway. Counts accepted connections.
 * One daemon thread per connection.
 */
final class TinyOrigin implements AutoCloseable {

    final AtomicInteger accepted = new AtomicInteger();
    private final ServerSocket server;
    private final byte[] body;

    TinyOrigin(byte[] body) throws IOException {
        this.body = body;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tiny-origin");
        t.setDaemon(true);
        t.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "tiny-origin-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (String path; (path = requestPath(in)) != null; ) {
                if (path.equals("/eof")) {
                    out.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    return;
                }
                if (path.equals("/chunked") || path.equals("/badchunk")) {
                    chunked(out, path.equals("/badchunk"));
                    continue;
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                if (path.equals("/cut")) {
                    out.write(body, 0, body.length / 2);
                    return;
                }
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** The body in chunks of random sizes (1 B .. 300 KiB), then a trailer; {@code bad}: a size line that is not hex midway. */
    private void chunked(OutputStream out, boolean bad) throws IOException {
        out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        java.util.Random r = new java.util.Random(body.length);
        for (int at = 0; at < body.length; ) {
            int n = Math.min(body.length - at, 1 + r.nextInt(300 << 10));
            if (bad && at > body.length / 2) {
                out.write("zz\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return;
            }
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            at += n;
        }
        out.write("0\r\nX-Trailer: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The next request's path (its head read and dropped), or null at end of stream. */
    private static String requestPath(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        for (int c; !head.toString().endsWith("\r\n\r\n"); head.append((char) c)) {
            if ((c = in.read()) < 0) {
                return null;
            }
        }
        return head.toString().split(" ")[1];
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
