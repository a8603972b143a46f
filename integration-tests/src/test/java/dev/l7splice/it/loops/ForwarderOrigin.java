package dev.l7splice.it.loops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Both ends of {@link ForwarderIT}'s exchanges through a {@link TcpForwarder}: the client sends the
 * line {@code ID DOWN RESET} and an upload of seeded random bytes, then half-closes; the origin
 * reads it all, answers the upload's SHA-256 on one line, then sends DOWN seeded random bytes and
 * closes (with RESET, an RST after half of them). Every body is checked by SHA-256 on both sides.
 */
final class ForwarderOrigin implements AutoCloseable {

    private final ServerSocket server;

    ForwarderOrigin() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSoTimeout(60_000);
    }

    int port() {
        return server.getLocalPort();
    }

    /** What one exchange gave: the bodies' digests as sent and as received, and how the download ended. */
    record Outcome(String upSent, String upReceived, String downSent, String downReceived, long downBytes,
                   String clientEnd, int lineLength) {
    }

    Outcome exchange(int forwarderPort, int id, long up, long down, boolean reset) throws Exception {
        CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> serveOne(down, reset));
        String line = id + " " + down + " " + reset + "\n";
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), forwarderPort)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(line.getBytes(StandardCharsets.US_ASCII));
            String upSent = send(out, new Random(id * 31L + 7), up);
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            String upReceived = readLine(in);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long got = 0;
            String end = "eof";
            try {
                byte[] buf = new byte[65536];
                for (int n; (n = in.read(buf)) != -1; got += n) {
                    md.update(buf, 0, n);
                }
            } catch (IOException e) {
                end = e.getClass().getName();
            }
            String downSent = served.get(60, TimeUnit.SECONDS);
            return new Outcome(upSent, upReceived, downSent, HexFormat.of().formatHex(md.digest()), got, end,
                    line.length());
        }
    }

    /**
     * The client reads {@code readFirst} bytes of a DOWN-byte body, then resets its connection (an RST
     * to the forwarder mid-body). The origin's own failure, once the forwarder closes its side, is
     * expected and ignored. The bytes the client read.
     */
    long clientReset(int forwarderPort, int id, long down, int readFirst) throws Exception {
        CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> serveOne(down, false));
        long got = 0;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), forwarderPort)) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write((id + " " + down + " false\n").getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            readLine(in);
            byte[] buf = new byte[65536];
            for (int n; got < readFirst && (n = in.read(buf, 0, (int) Math.min(buf.length, readFirst - got))) != -1; ) {
                got += n;
            }
            s.setSoLinger(true, 0);
        }
        try {
            served.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException expected) {
            // the forwarder closed the origin's connection mid-body
        }
        return got;
    }

    private String serveOne(long down, boolean reset) {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            String[] req = readLine(in).split(" ");
            MessageDigest up = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) != -1; ) {
                up.update(buf, 0, n);
            }
            OutputStream out = s.getOutputStream();
            out.write((HexFormat.of().formatHex(up.digest()) + "\n").getBytes(StandardCharsets.US_ASCII));
            Random random = new Random(Long.parseLong(req[0]) * 131L + down);
            if (reset) {
                send(out, random, down / 2);
                s.setSoLinger(true, 0); // close sends an RST: the peer reset mid-body
                return "reset";
            }
            String sha = send(out, random, down);
            s.shutdownOutput();
            return sha;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code size} seeded random bytes; their SHA-256. */
    private static String send(OutputStream out, Random random, long size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[65536];
        for (long left = size; left > 0; ) {
            int n = (int) Math.min(chunk.length, left);
            random.nextBytes(chunk);
            md.update(chunk, 0, n);
            out.write(chunk, 0, n);
            left -= n;
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** One line, a byte at a time so nothing after it is consumed. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            sb.append((char) c);
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
