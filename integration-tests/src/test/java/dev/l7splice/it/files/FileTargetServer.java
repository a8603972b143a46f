package dev.l7splice.it.files;

import com.sun.net.httpserver.HttpServer;
import dev.l7splice.api.L7Splice;
import dev.l7splice.demo.BodyPattern;
import dev.l7splice.it.support.AcceptLoop;
import dev.l7splice.it.support.RequestHead;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A test server (its own JVM) that sends files to sockets the ways applications do. Files hold
 * one pattern period of padding followed by SIZE pattern bytes, so every body, whole or ranged
 * from offset {@link BodyPattern#PERIOD}, is the pattern of its length.
 *
 * <pre>
 *   GET /fis/SIZE       FileInputStream positioned at the padding's end, transferTo(socket out)
 *   GET /copy/SIZE      Files.copy(path of an unpadded file, socket out)
 *   GET /nio/SIZE       Files.newInputStream(...).skip(PERIOD) then transferTo(socket out)
 *   GET /range/SIZE     L7Splice.sendFile(file, PERIOD, SIZE, out): the bounded entry (a FileInputStream)
 *   GET /stats          "files=N hs=PORT": BytesSentFromFiles of this JVM's agent (0 without its
 *                       MBean) and the httpserver's port
 *   httpserver port: GET /hs/SIZE  sendResponseHeaders(200, SIZE), FileInputStream.transferTo(body)
 *                    GET /proxy/SIZE  the origin's body (origin port: the first argument) read through a
 *                                     BufferedInputStream, transferTo(body): socket to httpserver
 * </pre>
 * The plain server answers with Connection: close and a BufferedOutputStream holding the head (the
 * agent must flush it first). Usage: {@code FileTargetServer [ORIGIN_PORT]}; prints "READY port=N".
 */
public final class FileTargetServer {

    private static final Map<String, Path> FILES = new ConcurrentHashMap<>();
    private static volatile int httpServerPort;

    public static void main(String[] args) throws Exception {
        Path dir = dev.l7splice.demo.TempDirs.create("l7files");
        HttpServer hs = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        hs.createContext("/hs/", ex -> {
            try (ex) {
                long n = Long.parseLong(ex.getRequestURI().getPath().substring(4));
                ex.sendResponseHeaders(200, n == 0 ? -1 : n);
                try (FileInputStream in = new FileInputStream(file(dir, n, true).toFile());
                     OutputStream out = ex.getResponseBody()) {
                    in.skip(BodyPattern.PERIOD);
                    in.transferTo(out);
                }
            } catch (IOException e) {
                System.err.println("httpserver request failed: " + e);
                throw e;
            }
        });
        int origin = args.length > 0 ? Integer.parseInt(args[0]) : -1;
        hs.createContext("/proxy/", ex -> {
            try (ex; Socket o = new Socket(InetAddress.getLoopbackAddress(), origin)) {
                long n = Long.parseLong(ex.getRequestURI().getPath().substring(7));
                o.getOutputStream().write(("GET /bytes/" + n + "?sha=0 HTTP/1.1\r\nHost: o\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = new BufferedInputStream(o.getInputStream());
                RequestHead.readText(in);
                ex.sendResponseHeaders(200, n == 0 ? -1 : n);
                try (OutputStream out = ex.getResponseBody()) {
                    in.transferTo(out);
                }
            } catch (IOException e) {
                System.err.println("httpserver request failed: " + e);
                throw e;
            }
        });
        hs.start();
        httpServerPort = hs.getAddress().getPort();
        AcceptLoop.serveForever(50, "file-target", client -> serve(client, dir));
    }

    private static void serve(Socket client, Path dir) {
        try (client) {
            String[] p = RequestHead.readText(new BufferedInputStream(client.getInputStream())).split(" ")[1].substring(1).split("/");
            OutputStream out = new BufferedOutputStream(client.getOutputStream());
            out.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long n = p.length > 1 ? Long.parseLong(p[1]) : 0;
            switch (p[0]) {
                case "fis" -> {
                    try (FileInputStream in = new FileInputStream(file(dir, n, true).toFile())) {
                        in.getChannel().position(BodyPattern.PERIOD);
                        in.transferTo(out);
                    }
                }
                case "copy" -> Files.copy(file(dir, n, false), out);
                case "nio" -> {
                    try (InputStream in = Files.newInputStream(file(dir, n, true))) {
                        in.skip(BodyPattern.PERIOD);
                        in.transferTo(out);
                    }
                }
                case "range" -> {
                    if (L7Splice.sendFile(file(dir, n, true), BodyPattern.PERIOD, n, out) != n) {
                        throw new IOException("sendFile returned a short count");
                    }
                }
                case "stats" -> out.write(("files=" + filesCounter() + " hs=" + httpServerPort + "\n")
                        .getBytes(StandardCharsets.US_ASCII));
                default -> throw new IOException("unknown path " + p[0]);
            }
            out.flush();
        } catch (Throwable e) {
            System.err.println("request failed: " + e);
        }
    }

    /** The padded (PERIOD + n) or plain (n) pattern file of size n, written once. */
    private static Path file(Path dir, long n, boolean padded) {
        return FILES.computeIfAbsent(n + (padded ? "p" : ""), k -> {
            try {
                Path f = dir.resolve(k);
                try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(f), 1 << 20)) {
                    BodyPattern.writeTo(o, (padded ? BodyPattern.PERIOD : 0) + n);
                }
                return f;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static long filesCounter() throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.l7splice:type=Agent");
        return mbs.isRegistered(name) ? (Long) mbs.getAttribute(name, "BytesSentFromFiles") : 0;
    }
}
