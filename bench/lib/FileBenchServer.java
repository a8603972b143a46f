import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * bench/files' plain file server (not part of the product): thread per connection, one GET per
 * connection ("GET /name"), a Content-Length head, then the file DIR/name by one of two JDK ways,
 * so the benchmark compares copy strategies and not HTTP stacks:
 *   stream   Files.newInputStream(p).transferTo(socket.getOutputStream()): the JDK copies through
 *            the heap; with the agent the same call becomes sendfile(2)
 *   channel  FileChannel.transferTo(position, count, socketChannel): the JDK's own sendfile(2)
 * Usage: java FileBenchServer.java MODE DIR; prints "READY port=N" once listening on 127.0.0.1.
 */
public final class FileBenchServer {

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        Path dir = Path.of(args[1]);
        if (mode.equals("stream")) {
            ServerSocket server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
            System.out.println("READY port=" + server.getLocalPort());
            while (true) {
                Socket s = server.accept();
                start(() -> serveStream(s, dir));
            }
        } else if (mode.equals("channel")) {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
            System.out.println("READY port=" + ((InetSocketAddress) server.getLocalAddress()).getPort());
            while (true) {
                SocketChannel s = server.accept();
                start(() -> serveChannel(s, dir));
            }
        } else {
            throw new IllegalArgumentException("mode must be stream or channel, not " + mode);
        }
    }

    interface Body {
        void run() throws IOException;
    }

    private static void start(Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (IOException e) {
                // a client that went away: nothing to do in a benchmark server
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static void serveStream(Socket s, Path dir) throws IOException {
        try (s) {
            Path p = dir.resolve(requestedName(s.getInputStream()));
            OutputStream out = s.getOutputStream();
            out.write(head(Files.size(p)));
            try (InputStream in = Files.newInputStream(p)) {
                in.transferTo(out);
            }
        }
    }

    private static void serveChannel(SocketChannel s, Path dir) throws IOException {
        try (s) {
            Path p = dir.resolve(requestedName(Channels.newInputStream(s)));
            long size = Files.size(p);
            ByteBuffer head = ByteBuffer.wrap(head(size));
            while (head.hasRemaining()) {
                s.write(head);
            }
            try (FileChannel f = FileChannel.open(p, StandardOpenOption.READ)) {
                for (long pos = 0; pos < size; ) {
                    pos += f.transferTo(pos, size - pos, s);
                }
            }
        }
    }

    /** The path of "GET /name HTTP/1.1", the rest of the head read and ignored. */
    private static String requestedName(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 512);
        String line = r.readLine();
        for (String h = r.readLine(); h != null && !h.isEmpty(); h = r.readLine()) {
            // headers ignored; the request has no body
        }
        String path = line.split(" ")[1];
        return path.substring(1);
    }

    private static byte[] head(long length) {
        return ("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}
