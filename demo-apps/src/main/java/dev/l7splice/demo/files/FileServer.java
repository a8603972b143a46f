package dev.l7splice.demo.files;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.l7splice.demo.BodyPattern;
import dev.l7splice.demo.cli.CliArgs;
import dev.l7splice.demo.cli.Sizes;
import dev.l7splice.demo.cli.UsageException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A static file server on the JDK's com.sun.net.httpserver, written the plain way (no l7splice
 * code): {@code sendResponseHeaders(200, length)} then {@code FileInputStream.transferTo} into the
 * response body. With the agent that body moves with sendfile(2). Serves regular files under one
 * directory with Content-Length and keep-alive; a single {@code Range: bytes=A-B} gets a 206.
 */
public final class FileServer {

    static final String USAGE = String.join("\n",
            "usage: java -cp l7demo.jar dev.l7splice.demo.files.FileServer --dir DIR [options]",
            "  --dir DIR          the directory served (GET /a/b serves DIR/a/b; the query is ignored)",
            "  --port N           listen port (default 9080; 0 = ephemeral)",
            "  --bind ADDR        listen address (default 127.0.0.1)",
            "  --threads N        handler threads (default 16)",
            "  --generate SIZES   first writes DIR/bytes/SIZE (the demo body pattern) for each SIZE, e.g. 64k,16m",
            "  --help             this text",
            "Prints 'READY port=<port>' on stdout once listening.");

    private FileServer() {
    }

    public static void main(String[] args) throws IOException {
        if (CliArgs.wantsHelp(args)) {
            System.out.println(USAGE);
            return;
        }
        CliArgs cli;
        try {
            cli = CliArgs.parse(args, Set.of("dir", "port", "bind", "threads", "generate"), Set.of("help"));
            if (!cli.has("dir")) {
                throw new UsageException("--dir is required");
            }
        } catch (UsageException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        Path dir = Path.of(cli.get("dir", ".")).toAbsolutePath().normalize();
        for (String size : cli.get("generate", "").split(",")) {
            if (!size.isBlank()) {
                generate(dir, Sizes.parse("generate", size.trim()));
            }
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(cli.get("bind", "127.0.0.1"),
                cli.intValue("port", 9080, 0, 65535)), 128);
        server.setExecutor(Executors.newFixedThreadPool(cli.intValue("threads", 16, 1, 1024)));
        server.createContext("/", ex -> serve(ex, dir));
        server.start();
        System.out.println("READY port=" + server.getAddress().getPort());
    }

    private static void generate(Path dir, long n) throws IOException {
        Path f = dir.resolve("bytes").resolve(Long.toString(n));
        if (Files.isRegularFile(f) && Files.size(f) == n) {
            return;
        }
        Files.createDirectories(f.getParent());
        try (OutputStream out = Files.newOutputStream(f)) {
            BodyPattern.writeTo(out, n);
        }
        Files.writeString(f.resolveSibling(f.getFileName() + ".sha256"), BodyPattern.sha256Hex(n));
    }

    private static void serve(HttpExchange ex, Path dir) throws IOException {
        try (ex) {
            Path file = dir.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            boolean head = ex.getRequestMethod().equals("HEAD");
            if (!file.startsWith(dir) || !Files.isRegularFile(file)
                    || !(head || ex.getRequestMethod().equals("GET"))) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            long size = Files.size(file);
            Range range = Range.parse(ex.getRequestHeaders().getFirst("Range"), size);
            if (range == Range.UNSATISFIABLE) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            long start = range == null ? 0 : range.start();
            long length = range == null ? size : range.length();
            ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
            Path digest = file.resolveSibling(file.getFileName() + ".sha256");
            if (!ex.getRequestHeaders().containsKey("Range") && Files.isRegularFile(digest)) {
                // A checksum file beside the body (--generate writes one): clients can verify.
                ex.getResponseHeaders().set("X-Body-SHA256", Files.readString(digest).trim());
            }
            ex.getResponseHeaders().set("Accept-Ranges", "bytes");
            if (range != null) {
                ex.getResponseHeaders().set("Content-Range",
                        "bytes " + start + "-" + (start + length - 1) + "/" + size);
            }
            if (head) {
                ex.getResponseHeaders().set("Content-Length", Long.toString(length));
                ex.sendResponseHeaders(range == null ? 200 : 206, -1);
                return;
            }
            ex.sendResponseHeaders(range == null ? 200 : 206, length == 0 ? -1 : length);
            try (InputStream in = new FileInputStream(file.toFile()); OutputStream out = ex.getResponseBody()) {
                in.skip(start);
                if (start + length == size) {
                    in.transferTo(out); // to the end of the file: the plain JDK call
                } else {
                    copy(in, out, length);
                }
            }
        }
    }

    /** A range that stops before the end of the file: the JDK has no bounded transferTo. */
    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[65536];
        while (n > 0) {
            int k = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (k < 0) {
                throw new IOException("file shrank while served");
            }
            out.write(buf, 0, k);
            n -= k;
        }
    }
}
