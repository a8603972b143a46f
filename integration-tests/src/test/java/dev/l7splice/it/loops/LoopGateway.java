package dev.l7splice.it.loops;

import dev.l7splice.it.support.AcceptLoop;
import dev.l7splice.it.support.RequestHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * For the benchmark (bench/targets): an HTTP gateway of the legacy kind that forwards each GET to
 * the demo origin and copies the origin's whole response back with a hand-written loop, the shape
 * the agent's copy-loop pass rewrites. Head read byte by byte, so the loop copies everything
 * after it. Usage: {@code LoopGateway ORIGIN_PORT}; prints READY port=N.
 */
public final class LoopGateway {

    private LoopGateway() {
    }

    public static void main(String[] args) throws Exception {
        int origin = Integer.parseInt(args[0]);
        AcceptLoop.serveForever(100, "loop-gateway", client -> serve(client, origin));
    }

    private static void serve(Socket client, int originPort) {
        try (client; Socket origin = new Socket(InetAddress.getLoopbackAddress(), originPort)) {
            String path = RequestHead.readText(client.getInputStream()).split(" ")[1];
            OutputStream toOrigin = origin.getOutputStream();
            toOrigin.write(("GET " + path + " HTTP/1.1\r\nHost: origin\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            toOrigin.flush();
            InputStream in = origin.getInputStream();
            OutputStream out = client.getOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            System.err.println("gateway: " + e);
        }
    }
}
