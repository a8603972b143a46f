package dev.l7splice.demo.origin;

import dev.l7splice.demo.BodyPattern;
import dev.l7splice.demo.DemoLog;
import dev.l7splice.demo.http.HeadParseException;
import dev.l7splice.demo.http.Header;
import dev.l7splice.demo.http.HttpHead;
import dev.l7splice.demo.http.HttpHeadReader;
import dev.l7splice.demo.http.HttpResponses;
import dev.l7splice.demo.http.RequestLine;
import dev.l7splice.demo.http.Sockets;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * One origin connection: reads one request, answers it, closes. Runs on its own thread and is
 * the only user of its socket.
 */
final class OriginExchange implements Runnable {

    private static final Logger LOG = DemoLog.get(OriginExchange.class);
    private static final int HEAD_TIMEOUT_MILLIS = 60_000;
    private static final String BYTES_PREFIX = "/bytes/";

    private final Socket socket;
    private final String originName;

    OriginExchange(Socket socket, String originName) {
        this.socket = socket;
        this.originName = originName;
    }

    @Override
    public void run() {
        try {
            socket.setSoTimeout(HEAD_TIMEOUT_MILLIS);
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            HttpHead head;
            RequestLine line;
            try {
                head = HttpHeadReader.read(in);
                if (head == null) {
                    return;
                }
                line = RequestLine.parse(head.startLine());
            } catch (HeadParseException e) {
                LOG.debug("bad request head: {}", e.getMessage());
                replyEarly(out, 400, "bad request: " + e.getMessage() + "\n");
                return;
            }
            LOG.debug("{} {}", line.method(), line.target());
            route(line, head, in, out);
        } catch (IOException e) {
            LOG.debug("connection ended: {}", e.toString());
        } finally {
            Sockets.closeQuietly(socket);
        }
    }

    private void route(RequestLine line, HttpHead head, BufferedInputStream in, OutputStream out) throws IOException {
        String path = line.path();
        if (path.equals("/health")) {
            if (requireMethod(line, "GET", out)) {
                HttpResponses.writeText(out, 200, originHeaders(), "ok\n");
            }
        } else if (path.startsWith(BYTES_PREFIX)) {
            if (requireMethod(line, "GET", out)) {
                sendBytes(line, out);
            }
        } else if (path.equals("/sink")) {
            if (requireMethod(line, "POST", out)) {
                new SinkUpload(socket, in, out, originHeaders()).receive(head);
            }
        } else {
            replyEarly(out, 404, "no such path: " + path + "\n");
        }
    }

    private void sendBytes(RequestLine line, OutputStream out) throws IOException {
        String digits = line.path().substring(BYTES_PREFIX.length());
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            replyEarly(out, 400, "length must be a number of bytes\n");
            return;
        }
        long n = Long.parseLong(digits);
        List<Header> headers = originHeaders();
        headers.add(new Header("Content-Type", "application/octet-stream"));
        headers.add(new Header("Content-Length", Long.toString(n)));
        if (!line.hasQueryPair("sha", "0")) {
            headers.add(new Header("X-Body-SHA256", BodyPattern.sha256Hex(n)));
        }
        // Head and body go straight to the socket stream, as a file server's sendfile-less path does.
        out.write(HttpResponses.head(200, headers).encode());
        BodyPattern.writeTo(out, n);
        out.flush();
    }

    private boolean requireMethod(RequestLine line, String method, OutputStream out) throws IOException {
        if (line.method().equals(method)) {
            return true;
        }
        replyEarly(out, 405, "use " + method + "\n");
        return false;
    }

    private void replyEarly(OutputStream out, int code, String body) throws IOException {
        HttpResponses.writeText(out, code, originHeaders(), body);
        Sockets.closeAfterEarlyReply(socket);
    }

    private List<Header> originHeaders() {
        List<Header> headers = new ArrayList<>();
        headers.add(new Header("X-Origin", originName));
        return headers;
    }
}
