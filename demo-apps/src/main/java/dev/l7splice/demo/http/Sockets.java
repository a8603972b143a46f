package dev.l7splice.demo.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/** Closing helpers shared by the demo servers. Stateless, thread-safe. */
public final class Sockets {

    private static final int LINGER_MILLIS = 1000;
    private static final int LINGER_MAX_BYTES = 1 << 20;

    private Sockets() {
    }

    public static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing left to do with a socket that will not close
        }
    }

    /**
     * Closes after an early answer (400, 502...) while the peer may still be sending: closing a
     * socket with unread input sends a reset, which can destroy the answer before the peer reads
     * it. So: end our output, read and drop what comes for a moment, then close.
     */
    public static void closeAfterEarlyReply(Socket socket) {
        try {
            socket.shutdownOutput();
            socket.setSoTimeout(LINGER_MILLIS);
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[16 * 1024];
            long dropped = 0;
            int n;
            while (dropped < LINGER_MAX_BYTES && (n = in.read(sink)) >= 0) {
                dropped += n;
            }
        } catch (IOException ignored) {
            // timeout or reset: either way we are done with this peer
        } finally {
            closeQuietly(socket);
        }
    }
}
