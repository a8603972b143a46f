package dev.l7splice.it.loops;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A legacy proxy that knows nothing about l7splice: per connection it reads one line
 * {@code SHAPE ID ORIGIN_PORT}, connects to the origin and copies the origin's bytes to the client
 * with the hand-written loop named SHAPE, then closes both. It prints {@code result SHAPE ID VALUE}
 * on stderr (VALUE from the loop's counter or exit state). JDK classes only: the test also
 * compiles this file with Java 25's javac. Prints READY port=N.
 */
public final class LegacyLoopProxy {

    public static void main(String[] args) throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        System.out.println("READY port=" + server.getLocalPort());
        while (true) {
            Socket client = server.accept();
            Thread t = new Thread(() -> serve(client), "legacy-proxy");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void serve(Socket client) {
        try (client) {
            String[] req = readLine(client.getInputStream()).split(" ");
            try (Socket origin = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(req[2]))) {
                InputStream in = origin.getInputStream();
                OutputStream out = client.getOutputStream();
                long value = switch (req[0]) {
                    case "plain" -> plain(in, out);
                    case "flush-counter" -> flushCounter(in, out);
                    case "for-counter" -> forCounter(in, out);
                    case "buffered" -> buffered(in, out);
                    case "xor" -> xor(in, out);
                    case "count-sevens" -> countSevens(in, out);
                    default -> throw new IOException("unknown shape " + req[0]);
                };
                System.err.println("result " + req[0] + " " + req[1] + " " + value);
            }
        } catch (IOException e) {
            System.err.println("proxy failed: " + e);
        }
    }

    static long plain(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
        }
        return n;
    }

    static long flushCounter(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[16384];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            out.flush();
            total += n;
        }
        return total;
    }

    static long forCounter(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[4096];
        int total = 0;
        for (int n; (n = in.read(buf, 0, buf.length)) >= 0; total += n) {
            out.write(buf, 0, n);
        }
        return total;
    }

    static long buffered(InputStream raw, OutputStream rawOut) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        BufferedOutputStream out = new BufferedOutputStream(rawOut);
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
            total += n;
        }
        out.flush();
        return total;
    }

    /** Left alone by the agent: the buffer is changed. */
    static long xor(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            for (int i = 0; i < n; i++) {
                buf[i] ^= 0x5a;
            }
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    /** Left alone by the agent: the buffer is inspected. */
    static long countSevens(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        long sevens = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
            for (int i = 0; i < n; i++) {
                sevens += buf[i] == 7 ? 1 : 0;
            }
        }
        return sevens;
    }

    /** The request line, a byte at a time so nothing after it is consumed. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            sb.append((char) c);
        }
        return sb.toString();
    }

    private LegacyLoopProxy() {
    }
}
