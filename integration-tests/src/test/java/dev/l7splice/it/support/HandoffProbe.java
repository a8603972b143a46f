package dev.l7splice.it.support;

import dev.l7splice.demo.BodyPattern;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs in its own JVM with {@code offload=inprocess}: hands a body off, then does what an
 * application may do next (write a trailer, close, shut down output, read the source) while the
 * relay is still moving the body to a deliberately slow reader. Prints one {@code RESULT} line per
 * scenario: the bytes the sink received must be the whole body, then anything written after it.
 */
public final class HandoffProbe {

    private static final long N = 32L << 20;
    private static final byte[] TRAILER = "--trailer--".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        scenario("write-after-handoff", (src, dst, returned) -> {
            dst.getOutputStream().write(TRAILER);
            dst.close();
            src.close();
            return TRAILER;
        });
        scenario("close-right-after-handoff", (src, dst, returned) -> {
            dst.close();
            src.close();
            return new byte[0];
        });
        scenario("shutdown-output-after-handoff", (src, dst, returned) -> {
            dst.shutdownOutput();
            src.close();
            return new byte[0];
        });
        scenario("read-source-after-handoff", (src, dst, returned) -> {
            int next = src.getInputStream().read(); // waits for the relay, then sees end of stream
            dst.close();
            src.close();
            if (next != -1) {
                throw new IOException("read after the relayed body returned " + next);
            }
            return new byte[0];
        });
    }

    interface AfterHandoff {
        byte[] run(Socket src, Socket dst, long returned) throws IOException;
    }

    private static void scenario(String name, AfterHandoff after) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket origin = new ServerSocket(0, 5, lo); ServerSocket sink = new ServerSocket(0, 5, lo)) {
            CompletableFuture.runAsync(() -> {
                try (Socket s = origin.accept()) {
                    BodyPattern.writeTo(s.getOutputStream(), N);
                } catch (IOException e) {
                    System.out.println("origin failed: " + e);
                }
            });
            CompletableFuture<byte[][]> received = CompletableFuture.supplyAsync(() -> slowSink(sink));
            Socket src = new Socket(lo, origin.getLocalPort());
            Socket dst = new Socket(lo, sink.getLocalPort());
            long returned = src.getInputStream().transferTo(dst.getOutputStream());
            byte[] expectedTail = after.run(src, dst, returned);
            byte[][] got = received.get(60, TimeUnit.SECONDS);
            boolean ok = returned < N && got[0][0] == 1
                    && HexFormat.of().formatHex(got[1]).equals(BodyPattern.sha256Hex(N))
                    && java.util.Arrays.equals(got[2], expectedTail);
            System.out.println("RESULT " + name + " " + (ok ? "ok" : "FAIL")
                    + " returned=" + returned + " bodyComplete=" + got[0][0] + " tail=" + new String(got[2], StandardCharsets.US_ASCII));
        }
    }

    /** Reads slowly at first (so the relay is still busy), hashes N bytes, then keeps what follows. */
    private static byte[][] slowSink(ServerSocket server) {
        try (Socket s = server.accept()) {
            Thread.sleep(300);
            InputStream in = s.getInputStream();
            MessageDigest md = RawHttp.sha256();
            byte[] buf = new byte[65536];
            long left = N;
            while (left > 0) {
                int k = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (k < 0) {
                    break;
                }
                md.update(buf, 0, k);
                left -= k;
            }
            ByteArrayOutputStream tail = new ByteArrayOutputStream();
            in.transferTo(tail);
            return new byte[][] {{(byte) (left == 0 ? 1 : 0)}, md.digest(), tail.toByteArray()};
        } catch (IOException | InterruptedException e) {
            return new byte[][] {{0}, new byte[0], e.toString().getBytes(StandardCharsets.US_ASCII)};
        }
    }
}
