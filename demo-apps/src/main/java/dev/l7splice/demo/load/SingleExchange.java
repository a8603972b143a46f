package dev.l7splice.demo.load;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.demo.http.HttpHead;
import dev.l7splice.demo.http.HttpHeadReader;
import dev.l7splice.demo.http.StatusLine;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One request on a new connection, read to EOF and checked. Stateless apart from its settings;
 * each load thread makes calls of its own, so {@link #execute} is safe to call concurrently.
 */
final class SingleExchange {

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_MILLIS = 120_000;
    private static final int BODY_BUFFER = 256 * 1024;

    private final LoadOptions options;
    private final String expectedUploadSha;

    /** @param expectedUploadSha SHA-256 of the upload body when it must be checked, else null */
    SingleExchange(LoadOptions options, String expectedUploadSha) {
        this.options = options;
        this.expectedUploadSha = expectedUploadSha;
    }

    /** @return the body bytes this request moved (sent for uploads, received otherwise) */
    long execute() throws IOException, ExchangeFailure {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(options.host, options.port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead().encode());
            if (options.isUpload()) {
                BodyPattern.writeTo(out, options.uploadBytes);
            }
            out.flush();
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            HttpHead head = readFinalHead(in);
            long declared = head.contentLength();
            MessageDigest sha = options.verify && !options.isUpload() ? BodyPattern.newSha256() : null;
            long received = readBody(in, sha, declared);
            if (declared >= 0 && received != declared) {
                throw new ExchangeFailure("body has " + received + " bytes, Content-Length says " + declared);
            }
            if (options.verify) {
                String expected = sha != null ? HexFormat.of().formatHex(sha.digest()) : expectedUploadSha;
                checkSha(head, expected);
            }
            return options.isUpload() ? options.uploadBytes : received;
        }
    }

    private HttpHead requestHead() {
        String method = options.isUpload() ? "POST" : "GET";
        HttpHead head = new HttpHead(method + " " + options.path + " HTTP/1.1", List.of())
                .with("Host", options.host + ":" + options.port)
                .with("User-Agent", "l7demo-load")
                .with("Accept", "*/*")
                .with("Connection", "close");
        if (options.isUpload()) {
            head = head.with("Content-Type", "application/octet-stream")
                    .with("Content-Length", Long.toString(options.uploadBytes));
        }
        return head;
    }

    private static HttpHead readFinalHead(BufferedInputStream in) throws IOException, ExchangeFailure {
        while (true) {
            HttpHead head = HttpHeadReader.read(in);
            if (head == null) {
                throw new ExchangeFailure("connection closed before a response head");
            }
            StatusLine status = StatusLine.parse(head.startLine());
            if (status.isInterim()) {
                continue;
            }
            if (status.code() < 200 || status.code() > 299) {
                throw new ExchangeFailure("status " + status.code() + " " + status.reason());
            }
            return head;
        }
    }

    /**
     * Reads the body: to end of stream, or at most {@code declared} bytes when the head declared a
     * length (as HTTP clients do; some servers, Helidon 4.5 among them, answer "Connection: close"
     * but leave the close to the client). A shorter body is still seen, by its count.
     */
    private static long readBody(BufferedInputStream in, MessageDigest sha, long declared) throws IOException {
        byte[] buf = new byte[BODY_BUFFER];
        long total = 0;
        int n;
        while ((declared < 0 || total < declared)
                && (n = in.read(buf, 0, (int) Math.min(buf.length, declared < 0 ? buf.length : declared - total))) >= 0) {
            if (sha != null) {
                sha.update(buf, 0, n);
            }
            total += n;
        }
        return total;
    }

    private static void checkSha(HttpHead head, String expected) throws ExchangeFailure {
        Optional<String> header = head.first("X-Body-SHA256");
        if (header.isEmpty()) {
            throw new ExchangeFailure("no X-Body-SHA256 header to verify against");
        }
        if (!header.get().toLowerCase(Locale.ROOT).equals(expected)) {
            throw new ExchangeFailure("SHA-256 mismatch: header " + header.get() + ", expected " + expected);
        }
    }
}
