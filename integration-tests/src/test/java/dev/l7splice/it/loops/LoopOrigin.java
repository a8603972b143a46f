package dev.l7splice.it.loops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.l7splice.it.support.JavaProcess;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The origin side of {@link CopyLoopIT}: serves one seeded random body per exchange and knows what
 * the proxy's loop should make of it without the agent (SHA-256 of the body or of its XOR with
 * 0x5a, the count of bytes of value 7, the loop's printed value).
 */
final class LoopOrigin implements AutoCloseable {

    private final ServerSocket server;

    LoopOrigin() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSoTimeout(30_000);
    }

    /** What one request through the proxy gave, and what the original loop gives. */
    record Outcome(String shape, long size, String bodySha, String plainSha, String xorSha, long sevens, long value) {

        void assertSameAsWithoutAgent(String why) {
            assertEquals(shape.equals("xor") ? xorSha : plainSha, bodySha, "body: " + why);
            long expected = switch (shape) {
                case "plain" -> -1;
                case "count-sevens" -> sevens;
                default -> size;
            };
            assertEquals(expected, value, "the loop's value: " + why);
        }
    }

    private record Sent(String plainSha, String xorSha, long sevens) {
    }

    static Outcome exchange(JavaProcess proxy, LoopOrigin origin, String shape, int id, long size) throws Exception {
        CompletableFuture<Sent> sent = CompletableFuture.supplyAsync(() -> origin.serveOne(size, id));
        String bodySha;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write((shape + " " + id + " " + origin.server.getLocalPort() + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) != -1; ) {
                md.update(buf, 0, n);
            }
            bodySha = HexFormat.of().formatHex(md.digest());
        }
        Sent expected = sent.get(60, TimeUnit.SECONDS);
        return new Outcome(shape, size, bodySha, expected.plainSha, expected.xorSha, expected.sevens,
                awaitResult(proxy, shape, id));
    }

    private Sent serveOne(long size, int id) {
        try (Socket s = server.accept()) {
            MessageDigest plain = MessageDigest.getInstance("SHA-256");
            MessageDigest xor = MessageDigest.getInstance("SHA-256");
            Random random = new Random(size * 31 + id);
            byte[] chunk = new byte[65536];
            byte[] flipped = new byte[chunk.length];
            long sevens = 0;
            OutputStream out = s.getOutputStream();
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(chunk.length, left);
                random.nextBytes(chunk);
                for (int i = 0; i < n; i++) {
                    sevens += chunk[i] == 7 ? 1 : 0;
                    flipped[i] = (byte) (chunk[i] ^ 0x5a);
                }
                plain.update(chunk, 0, n);
                xor.update(flipped, 0, n);
                out.write(chunk, 0, n);
                left -= n;
            }
            s.shutdownOutput();
            return new Sent(HexFormat.of().formatHex(plain.digest()), HexFormat.of().formatHex(xor.digest()), sevens);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The proxy prints {@code result SHAPE ID VALUE} once its loop ended. */
    private static long awaitResult(JavaProcess proxy, String shape, int id) throws Exception {
        Pattern p = Pattern.compile("(?m)^result " + Pattern.quote(shape) + " " + id + " (-?\\d+)$");
        for (int i = 0; i < 500; i++) {
            Matcher m = p.matcher(proxy.output());
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
            Thread.sleep(20);
        }
        throw new IOException("no result line for " + shape + " " + id + ":\n" + proxy.stderrTail());
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
