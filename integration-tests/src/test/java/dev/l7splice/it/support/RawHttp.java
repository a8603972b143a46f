package dev.l7splice.it.support;

import dev.l7splice.demo.BodyPattern;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/** A deliberately plain HTTP/1.1 client on one socket, so tests control every byte and timing. */
public final class RawHttp {

    /** A response: status, headers (lower-case names), and the body's length and SHA-256. */
    public static final class Response {
        public final int status;
        public final Map<String, String> headers;
        public final long bodyBytes;
        public final String sha256;

        Response(int status, Map<String, String> headers, long bodyBytes, String sha256) {
            this.status = status;
            this.headers = headers;
            this.bodyBytes = bodyBytes;
            this.sha256 = sha256;
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + headers + " body=" + bodyBytes + " sha=" + sha256;
        }
    }

    private RawHttp() {
    }

    public static Socket connect(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(60_000);
        return s;
    }

    public static Response get(int port, String path) throws IOException {
        try (Socket s = connect(port)) {
            s.getOutputStream().write(requestHead("GET", path, -1));
            return readResponse(s.getInputStream());
        }
    }

    /**
     * POSTs {@code n} bytes of the body pattern. The head and the first {@code firstWrite} body
     * bytes go out in one write, so a server reading the head through a buffer also holds that
     * much of the body when it starts copying.
     */
    public static Response post(int port, String path, long n, int firstWrite) throws IOException {
        try (Socket s = connect(port)) {
            OutputStream out = s.getOutputStream();
            byte[] head = requestHead("POST", path, n);
            int first = (int) Math.min(firstWrite, n);
            byte[] start = new byte[head.length + first];
            System.arraycopy(head, 0, start, 0, head.length);
            BodyPattern.fill(0, start, head.length, first);
            out.write(start);
            out.flush();
            byte[] buf = new byte[256 * 1024];
            for (long off = first; off < n; ) {
                int len = (int) Math.min(buf.length, n - off);
                BodyPattern.fill(off, buf, 0, len);
                out.write(buf, 0, len);
                off += len;
            }
            return readResponse(s.getInputStream());
        }
    }

    public static byte[] requestHead(String method, String path, long contentLength) {
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + (contentLength >= 0 ? "Content-Length: " + contentLength + "\r\n" : "") + "\r\n";
        return head.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads a head, then the body to end of stream, hashing it. */
    public static Response readResponse(InputStream in) throws IOException {
        Response head = readHead(in);
        MessageDigest md = sha256();
        byte[] buf = new byte[256 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            md.update(buf, 0, n);
            total += n;
        }
        return new Response(head.status, head.headers, total, HexFormat.of().formatHex(md.digest()));
    }

    /** Reads the status line and headers, byte by byte (nothing of the body is consumed). */
    public static Response readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        Map<String, String> headers = new HashMap<>();
        int status = -1;
        for (int c; ; ) {
            c = in.read();
            if (c < 0) {
                throw new IOException("connection closed in the response head");
            }
            if (c != '\n') {
                line.write(c);
                continue;
            }
            String l = line.toString(StandardCharsets.ISO_8859_1).trim();
            line.reset();
            if (status < 0) {
                status = Integer.parseInt(l.split(" ")[1]);
            } else if (l.isEmpty()) {
                return new Response(status, headers, 0, null);
            } else {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
        }
    }

    /** Reads up to {@code limit} bytes (or to end of stream) and returns how many arrived. */
    public static long readUpTo(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[256 * 1024];
        long total = 0;
        while (total < limit) {
            int k = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
            if (k < 0) {
                break;
            }
            total += k;
        }
        return total;
    }

    /** SHA-256 (hex) of everything up to end of stream. */
    public static String sha256Of(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[256 * 1024];
        for (int k; (k = in.read(buf)) >= 0; ) {
            md.update(buf, 0, k);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
