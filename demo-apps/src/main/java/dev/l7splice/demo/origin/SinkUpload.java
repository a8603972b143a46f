package dev.l7splice.demo.origin;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.demo.DemoLog;
import dev.l7splice.demo.http.ChunkedInputStream;
import dev.l7splice.demo.http.HeadParseException;
import dev.l7splice.demo.http.Header;
import dev.l7splice.demo.http.HttpHead;
import dev.l7splice.demo.http.HttpResponses;
import dev.l7splice.demo.http.Sockets;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;

/**
 * {@code POST /sink}: reads the request body (Content-Length or chunked) while hashing it and
 * answers with its SHA-256 and length. Used on the connection's own thread only.
 */
final class SinkUpload {

    private static final Logger LOG = DemoLog.get(SinkUpload.class);
    private static final int BUFFER_BYTES = 256 * 1024;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final List<Header> originHeaders;

    /** @param in the stream that held the request head: it may already buffer body bytes */
    SinkUpload(Socket socket, InputStream in, OutputStream out, List<Header> originHeaders) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.originHeaders = originHeaders;
    }

    void receive(HttpHead head) throws IOException {
        boolean chunked = head.isChunked();
        long declared;
        try {
            declared = head.contentLength();
        } catch (HeadParseException e) {
            replyEarly(400, e.getMessage() + "\n");
            return;
        }
        if (!chunked && declared < 0) {
            replyEarly(411, "send Content-Length or Transfer-Encoding: chunked\n");
            return;
        }
        if (head.first("Expect").filter(v -> v.equalsIgnoreCase("100-continue")).isPresent()) {
            out.write(CONTINUE); // curl waits a second for this before large uploads
            out.flush();
        }
        MessageDigest sha = BodyPattern.newSha256();
        long count;
        try {
            count = chunked ? hashAll(new ChunkedInputStream(in), sha) : hashExactly(declared, sha);
        } catch (HeadParseException e) {
            replyEarly(400, e.getMessage() + "\n");
            return;
        }
        if (count < 0) {
            LOG.debug("upload ended early; closing without an answer");
            return;
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        List<Header> headers = new ArrayList<>(originHeaders);
        headers.add(new Header("X-Body-SHA256", hex));
        headers.add(new Header("X-Body-Bytes", Long.toString(count)));
        HttpResponses.writeText(out, 200, headers, "sha256=" + hex + " bytes=" + count + "\n");
    }

    /** @return bytes hashed, or -1 when the stream ended before {@code length} bytes */
    private long hashExactly(long length, MessageDigest sha) throws IOException {
        byte[] buf = new byte[(int) Math.min(BUFFER_BYTES, Math.max(1, length))];
        long done = 0;
        while (done < length) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, length - done));
            if (n < 0) {
                return -1;
            }
            sha.update(buf, 0, n);
            done += n;
        }
        return done;
    }

    /** @return bytes hashed, or -1 when the chunked body was cut off */
    private static long hashAll(InputStream body, MessageDigest sha) throws IOException {
        byte[] buf = new byte[BUFFER_BYTES];
        long done = 0;
        try {
            int n;
            while ((n = body.read(buf)) >= 0) {
                sha.update(buf, 0, n);
                done += n;
            }
        } catch (EOFException e) {
            return -1;
        }
        return done;
    }

    private void replyEarly(int code, String body) throws IOException {
        HttpResponses.writeText(out, code, originHeaders, body);
        Sockets.closeAfterEarlyReply(socket);
    }
}
