package dev.l7splice.it.libs;

import dev.l7splice.api.L7Splice;
import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.AcceptLoop;
import dev.l7splice.it.support.RequestHead;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A gateway-like test server that copies proxied bodies with one named helper per request
 * ({@link CopyHelpers}), the way gateways built on those libraries do: the origin's head is read
 * through a BufferedInputStream (so part of the body is already in user space), the client gets
 * a BufferedOutputStream. Runs in its own JVM, with or without the agent and the libraries.
 *
 * <pre>
 *   GET /copy/HELPER/SIZE[/LIMIT]  origin body of SIZE bytes copied to the client with HELPER
 *                                  (bounded helpers copy LIMIT, the gateway then checks that
 *                                  exactly SIZE - LIMIT bytes were left in the origin's stream)
 *   GET /mem/HELPER/SIZE           copied into a ByteArrayOutputStream first (not a socket)
 *   GET /file/SIZE[/all]           L7Splice.sendFile of SIZE pattern bytes at an offset of one
 *                                  pattern period (n = SIZE, or -1 with /all)
 *   GET /stats                     "spliced=N copied=N fallbacks=REASONS" of this JVM's agent
 *                                  (prefixed "unregistered " before its MBean exists)
 * </pre>
 * Any mismatch in a count ends the client connection with a reset, so the client sees an error,
 * never a plausible body. Usage: {@code CopyHelperGateway ORIGIN_PORT}; prints READY port=N.
 */
public final class CopyHelperGateway {

    public static void main(String[] args) throws Exception {
        int origin = Integer.parseInt(args[0]);
        AcceptLoop.serveForever(50, "copy-helper-gateway", client -> serve(client, origin));
    }

    private static void serve(Socket client, int origin) {
        try (client) {
            String path = RequestHead.readText(new BufferedInputStream(client.getInputStream())).split(" ")[1];
            String[] p = path.substring(1).split("/");
            OutputStream out = new BufferedOutputStream(client.getOutputStream());
            out.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            boolean ok = switch (p[0]) {
                case "copy" -> proxy(p[1], Long.parseLong(p[2]), p.length > 3 ? Long.parseLong(p[3]) : -1,
                        origin, out, false);
                case "mem" -> proxy(p[1], Long.parseLong(p[2]), -1, origin, out, true);
                case "file" -> sendFile(Long.parseLong(p[1]), p.length > 2, out);
                case "stats" -> stats(out);
                default -> false;
            };
            out.flush();
            if (!ok) {
                client.setSoLinger(true, 0); // a reset: the test must not mistake this for a body
            }
        } catch (Throwable e) {
            System.err.println("request failed: " + e);
            e.printStackTrace();
        }
    }

    private static boolean proxy(String helper, long size, long limit, int originPort, OutputStream out,
                                 boolean viaMemory) throws IOException {
        try (Socket o = new Socket(InetAddress.getLoopbackAddress(), originPort)) {
            o.getOutputStream().write(("GET /bytes/" + size + "?sha=0 HTTP/1.1\r\nHost: origin\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(o.getInputStream());
            if (!RequestHead.readText(in).contains(" 200 ")) {
                return false;
            }
            boolean bounded = CopyHelpers.bounded(helper);
            long want = bounded ? (limit < 0 ? size : limit) : size;
            long n;
            if (viaMemory) {
                ByteArrayOutputStream mem = new ByteArrayOutputStream();
                n = CopyHelpers.copy(helper, in, mem, want);
                mem.writeTo(out);
            } else {
                n = CopyHelpers.copy(helper, in, out, want);
            }
            if (n != CopyHelpers.expectedResult(helper, want)) {
                System.err.println(helper + " returned " + n + " for " + want + " bytes");
                return false;
            }
            long rest = drain(in);
            if (rest != size - want) {
                System.err.println(helper + " left " + rest + " bytes, expected " + (size - want));
                return false;
            }
            return true;
        }
    }

    private static boolean sendFile(long size, boolean toEnd, OutputStream out) throws IOException {
        Path file = Files.createTempFile("l7api", ".bin");
        try {
            try (OutputStream f = Files.newOutputStream(file)) {
                BodyPattern.writeTo(f, BodyPattern.PERIOD + size); // from one period on: the pattern again
            }
            long n = L7Splice.sendFile(file, BodyPattern.PERIOD, toEnd ? -1 : size, out);
            return n == size;
        } finally {
            Files.delete(file);
        }
    }

    private static boolean stats(OutputStream out) throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.l7splice:type=Agent");
        String line = mbs.isRegistered(name)
                ? "spliced=" + mbs.getAttribute(name, "BytesSpliced") + " copied=" + mbs.getAttribute(name, "BytesCopied")
                        + " fallbacks=" + mbs.getAttribute(name, "FallbacksByReason")
                : "unregistered spliced=0 copied=0 fallbacks={}";
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        return true;
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[65536];
        long total = 0;
        for (int k; (k = in.read(buf)) >= 0; ) {
            total += k;
        }
        return total;
    }
}
