package dev.l7splice.demo.gateway;

import dev.l7splice.demo.DemoLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import org.slf4j.Logger;

/**
 * Copies the rest of the client's stream to the backend, on its own thread, until the client
 * ends its output or the exchange closes the sockets. Once started it is the only reader of
 * {@code clientIn}; the exchange thread owns closing both sockets.
 */
final class UploadPump implements Runnable {

    private static final Logger LOG = DemoLog.get(UploadPump.class);

    private final InputStream clientIn;
    private final Socket backend;

    /**
     * @param clientIn the very stream the request head was parsed from: it may already buffer
     *     the first body bytes, and they must go first
     */
    UploadPump(InputStream clientIn, Socket backend) {
        this.clientIn = clientIn;
        this.backend = backend;
    }

    @Override
    public void run() {
        try {
            OutputStream backendOut = backend.getOutputStream();
            long n = clientIn.transferTo(backendOut);
            backend.shutdownOutput();
            LOG.debug("upload ended after {} bytes", n);
        } catch (IOException e) {
            // The usual end: the response is done and the exchange closed both sockets.
            LOG.debug("upload pump stopped: {}", e.toString());
        }
    }
}
