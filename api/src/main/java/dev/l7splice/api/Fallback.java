package dev.l7splice.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * {@link L7Splice#route}'s plain form: connect, write the head, copy each direction until its end
 * of stream (passing the FIN on with shutdownOutput), then close both. The server-to-client copy
 * runs on the caller's thread, the other on a daemon thread.
 */
final class Fallback {

    private Fallback() {
    }

    static void relay(Socket client, byte[] head, InetSocketAddress target) throws IOException {
        Socket server = new Socket();
        try {
            server.connect(target, 10_000);
            OutputStream toServer = server.getOutputStream();
            toServer.write(head);
            toServer.flush();
            Thread up = new Thread(() -> pump(client, server), "l7splice-route-fallback");
            up.setDaemon(true);
            up.start();
            pump(server, client);
            up.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            client.close();
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            out.flush();
            to.shutdownOutput();
        } catch (IOException e) {
            // a reset on one side ends both: closing them below wakes the other copy
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closing
            }
        }
    }
}
