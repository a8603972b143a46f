package dev.l7splice.it.tomcat;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.AcceptLoop;
import dev.l7splice.it.support.RequestHead;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream for {@link TomcatApp}'s HttpURLConnection proxy (its own JVM, no agent): keep-alive
 * HTTP/1.1 on every connection until the client closes it, so the client's connection reuse can be
 * counted.
 *
 * <pre>
 *   GET /fixed/SIZE     Content-Length, SIZE pattern bytes; the connection stays open
 *   GET /chunked/SIZE   chunked, SIZE pattern bytes in chunks of random sizes (1 B .. 300 KiB)
 *   GET /eof/SIZE       Connection: close, no length: SIZE pattern bytes, then the connection ends
 *   GET /cut/SIZE       chunked, one chunk of SIZE announced, half of it sent, then the connection ends
 *   GET /chunkx/SIZE    chunked as /chunked, with chunk extensions, upper-case hex, an empty chunk's
 *                       neighbours of 1 B, and two trailer fields after the last chunk
 *   GET /badchunk/SIZE  chunked, SIZE/2 bytes in a good chunk, then an invalid size line; the connection stays open
 *   GET /connections    how many connections were accepted so far
 * </pre>
 */
public final class KeepAliveOrigin {

    private static final AtomicInteger ACCEPTED = new AtomicInteger();

    public static void main(String[] args) throws IOException {
        AcceptLoop.serveForever(50, "keep-alive-origin", KeepAliveOrigin::serve);
    }

    private static void serve(Socket client) {
        ACCEPTED.incrementAndGet();
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = new BufferedOutputStream(client.getOutputStream(), 1 << 16);
            while (true) {
                String[] p = RequestHead.readText(in).split(" ")[1].substring(1).split("/");
                long n = p.length > 1 ? Long.parseLong(p[1]) : 0;
                switch (p[0]) {
                    case "fixed" -> {
                        out.write(head("Content-Length: " + n));
                        BodyPattern.writeTo(out, n);
                    }
                    case "chunked" -> chunked(out, n);
                    case "chunkx" -> chunkedWithExtensions(out, n);
                    case "badchunk" -> {
                        out.write(head("Transfer-Encoding: chunked"));
                        out.write((Long.toHexString(n / 2) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        BodyPattern.writeTo(out, n / 2);
                        out.write("\r\nzz-not-hex\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    case "eof" -> {
                        out.write(head("Connection: close"));
                        BodyPattern.writeTo(out, n);
                        out.flush();
                        return;
                    }
                    case "cut" -> {
                        out.write(head("Transfer-Encoding: chunked"));
                        out.write((Long.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        BodyPattern.writeTo(out, n / 2);
                        out.flush();
                        return;
                    }
                    case "connections" -> {
                        byte[] b = (ACCEPTED.get() + "\n").getBytes(StandardCharsets.US_ASCII);
                        out.write(head("Content-Length: " + b.length));
                        out.write(b);
                    }
                    default -> throw new IOException("unknown path " + p[0]);
                }
                out.flush();
            }
        } catch (IOException e) {
            // the client closed its connection (end of stream in a head): done
        }
    }

    private static void chunked(OutputStream out, long n) throws IOException {
        out.write(head("Transfer-Encoding: chunked"));
        Random r = new Random(n);
        byte[] buf = new byte[300 << 10];
        for (long off = 0; off < n; ) {
            int len = (int) Math.min(n - off, 1 + r.nextInt(buf.length));
            BodyPattern.fill(off, buf, 0, len);
            out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(buf, 0, len);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            off += len;
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** Random chunk sizes (1 B .. 300 KiB, some of 1 B), each size line with extensions, then trailers. */
    private static void chunkedWithExtensions(OutputStream out, long n) throws IOException {
        out.write(head("Transfer-Encoding: chunked\r\nTrailer: X-Origin-Size, X-Origin-Note"));
        Random r = new Random(n ^ 0x5eed);
        byte[] buf = new byte[300 << 10];
        int i = 0;
        for (long off = 0; off < n; i++) {
            int len = (int) Math.min(n - off, i % 7 == 3 ? 1 : 1 + r.nextInt(buf.length));
            BodyPattern.fill(off, buf, 0, len);
            String ext = i % 3 == 0 ? ";name=value" : i % 3 == 1 ? " ; q=\"a;b\";flag" : "";
            out.write((Integer.toHexString(len).toUpperCase() + ext + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(buf, 0, len);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            off += len;
        }
        out.write(("0;last=yes\r\nX-Origin-Size: " + n + "\r\nX-Origin-Note: done\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] head(String framing) {
        return ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n" + framing + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
