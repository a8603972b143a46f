package dev.l7splice.demo.gateway;

import dev.l7splice.demo.DemoLog;
import dev.l7splice.demo.http.HeadParseException;
import dev.l7splice.demo.http.HttpHead;
import dev.l7splice.demo.http.HttpHeadReader;
import dev.l7splice.demo.http.HttpResponses;
import dev.l7splice.demo.http.RequestLine;
import dev.l7splice.demo.http.Sockets;
import dev.l7splice.demo.http.StatusLine;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One proxied request: client head in, backend connection, head out, upload pump if there is a
 * body, response head back, then the response body with one {@code transferTo}. Runs on one
 * handler thread, which owns both sockets and closes them whatever happens.
 */
final class ProxyExchange implements Runnable {

    private static final Logger LOG = DemoLog.get(ProxyExchange.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;
    private static final int CLIENT_HEAD_TIMEOUT_MILLIS = 30_000;
    static final String VIA = "1.1 l7demo-gateway";

    private final Socket client;
    private final GatewayOptions.Backend target;
    private final ExecutorService uploadPumps;
    private final AtomicLong errors;
    private Socket backend;

    ProxyExchange(Socket client, GatewayOptions.Backend target, ExecutorService uploadPumps, AtomicLong errors) {
        this.client = client;
        this.target = target;
        this.uploadPumps = uploadPumps;
        this.errors = errors;
    }

    @Override
    public void run() {
        try {
            proxy();
        } catch (IOException | RuntimeException e) {
            errors.incrementAndGet();
            LOG.debug("exchange failed: {}", e.toString());
        } finally {
            // Also ends the upload pump, which may still be blocked reading the client.
            Sockets.closeQuietly(backend);
            Sockets.closeQuietly(client);
        }
    }

    private void proxy() throws IOException {
        client.setSoTimeout(CLIENT_HEAD_TIMEOUT_MILLIS);
        BufferedInputStream clientIn = new BufferedInputStream(client.getInputStream());
        OutputStream clientOut = client.getOutputStream();
        HttpHead request;
        RequestLine line;
        boolean hasBody;
        try {
            request = HttpHeadReader.read(clientIn);
            if (request == null) {
                return;
            }
            line = RequestLine.parse(request.startLine());
            hasBody = request.isChunked() || request.contentLength() > 0;
        } catch (HeadParseException e) {
            replyEarly(clientOut, 400, "bad request: " + e.getMessage() + "\n");
            return;
        }
        client.setSoTimeout(0);
        LOG.debug("{} {} -> {}", line.method(), line.target(), target);
        if (!connectBackend()) {
            replyEarly(clientOut, 502, "backend " + target + " unreachable\n");
            return;
        }
        backend.getOutputStream().write(forwardedHead(request).encode());
        if (hasBody) {
            try {
                uploadPumps.execute(new UploadPump(clientIn, backend));
            } catch (RejectedExecutionException e) {
                throw new IOException("gateway closing", e);
            }
        }
        BufferedInputStream backendIn = new BufferedInputStream(backend.getInputStream());
        HttpHead response = readResponseHead(backendIn, clientOut);
        if (response == null) {
            errors.incrementAndGet();
            HttpResponses.writeText(clientOut, 502, List.of(), "backend " + target + " sent no valid response head\n");
            if (!hasBody) {
                Sockets.closeAfterEarlyReply(client);
            } // else the upload pump is the client's reader, until finally closes
            return;
        }
        clientOut.write(returnedHead(response).encode());
        // backendIn may already hold the first body bytes: transferTo sends those first.
        long n = backendIn.transferTo(clientOut);
        LOG.debug("{} {}: {} body bytes returned", line.method(), line.target(), n);
    }

    private boolean connectBackend() {
        backend = new Socket();
        try {
            backend.connect(new InetSocketAddress(target.host(), target.port()), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            LOG.debug("connect to {} failed: {}", target, e.toString());
            return false;
        }
    }

    /**
     * The final response head, forwarding any interim 1xx heads (100 Continue) to the client on
     * the way; null when the backend closed or sent garbage before a final head.
     */
    private HttpHead readResponseHead(BufferedInputStream backendIn, OutputStream clientOut) throws IOException {
        try {
            while (true) {
                HttpHead head = HttpHeadReader.read(backendIn);
                if (head == null || !StatusLine.parse(head.startLine()).isInterim()) {
                    return head;
                }
                clientOut.write(head.encode());
                clientOut.flush();
            }
        } catch (HeadParseException | EOFException e) {
            LOG.debug("bad response head from {}: {}", target, e.getMessage());
            return null;
        }
    }

    HttpHead forwardedHead(HttpHead request) {
        String clientIp = client.getInetAddress().getHostAddress();
        String forwardedFor = request.first("X-Forwarded-For").map(v -> v + ", " + clientIp).orElse(clientIp);
        return request.without("Connection", "Keep-Alive", "Proxy-Connection", "X-Forwarded-For")
                .with("Connection", "close")
                .with("X-Forwarded-For", forwardedFor);
    }

    static HttpHead returnedHead(HttpHead response) {
        return response.without("Connection", "Keep-Alive").with("Connection", "close").with("Via", VIA);
    }

    private void replyEarly(OutputStream clientOut, int code, String body) throws IOException {
        errors.incrementAndGet();
        HttpResponses.writeText(clientOut, code, List.of(), body);
        Sockets.closeAfterEarlyReply(client);
    }
}
