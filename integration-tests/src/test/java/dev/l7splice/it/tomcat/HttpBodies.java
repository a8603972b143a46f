package dev.l7splice.it.tomcat;

import dev.l7splice.it.support.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * One response on a keep-alive connection, its body read strictly by its framing: exactly
 * Content-Length bytes, or chunks (each size line, its bytes and CRLF checked; then the last chunk
 * and an empty trailer), so the connection is positioned at the next response afterwards.
 */
public final class HttpBodies {

    /** Status, framing ("fixed", "chunked"), the body's length and SHA-256, and its head. */
    public record Body(int status, String framing, long bytes, String sha256, RawHttp.Response head) {
    }

    private HttpBodies() {
    }

    /** Sends one keep-alive GET on {@code s} and reads its response. */
    public static Body get(Socket s, String path) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read(s.getInputStream());
    }

    /** A GET on a connection of its own. */
    public static Body get(int port, String path) throws IOException {
        try (Socket s = RawHttp.connect(port)) {
            return get(s, path);
        }
    }

    public static Body read(InputStream in) throws IOException {
        RawHttp.Response head = RawHttp.readHead(in);
        MessageDigest md = RawHttp.sha256();
        String length = head.header("content-length");
        String te = head.header("transfer-encoding");
        long total = 0;
        String framing;
        if (te != null && te.equalsIgnoreCase("chunked")) {
            framing = "chunked";
            for (long size; (size = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0; ) {
                copy(in, md, size);
                total += size;
                if (!line(in).isEmpty()) {
                    throw new IOException("no CRLF after a chunk of " + size);
                }
            }
            while (!line(in).isEmpty()) {
                // trailer fields: none expected, skipped
            }
        } else if (length != null) {
            framing = "fixed";
            total = Long.parseLong(length);
            copy(in, md, total);
        } else {
            throw new IOException("neither Content-Length nor chunked: " + head);
        }
        return new Body(head.status, framing, total, HexFormat.of().formatHex(md.digest()), head);
    }

    private static void copy(InputStream in, MessageDigest md, long n) throws IOException {
        byte[] buf = new byte[256 * 1024];
        while (n > 0) {
            int k = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (k < 0) {
                throw new IOException("end of stream with " + n + " body bytes still to come");
            }
            md.update(buf, 0, k);
            n -= k;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("end of stream in a chunk line");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.US_ASCII);
        if (!s.endsWith("\r")) {
            throw new IOException("a chunk line without CR: " + s);
        }
        return s.substring(0, s.length() - 1);
    }
}
