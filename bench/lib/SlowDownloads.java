import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * bench/concurrency's load client (not part of the product): C downloads at once, each on its own
 * thread and connection, each read to its Content-Length at most RATE bytes per second (a long
 * download: a client on a slow link). After SECONDS it reports and exits, cutting what is still
 * running. A server that serves a download only while one of its threads is on it completes
 * (threads x SECONDS / (BYTES / RATE)) of them; one that hands bodies off completes them all.
 * Usage: java -Xss256k -cp DIR SlowDownloads PORT PATH C RATE SECONDS
 * Prints "done=D started=S idle=I failed=F bytes=B median_s=M max_s=X" where started counts the
 * downloads that received at least one body byte and idle those that received nothing.
 */
public final class SlowDownloads {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        int count = Integer.parseInt(args[2]);
        long rate = Long.parseLong(args[3]);
        long seconds = Long.parseLong(args[4]);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        AtomicLongArray got = new AtomicLongArray(count);
        double[] took = new double[count];
        CountDownLatch all = new CountDownLatch(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                try {
                    download(port, path, rate, id, got, bytes);
                    took[id] = (System.nanoTime() - start) / 1e9;
                    done.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    if (failed.getAndIncrement() == 0) {
                        System.err.println("first failure: " + e);
                    }
                } finally {
                    all.countDown();
                }
            });
            t.setDaemon(true);
            t.start();
        }
        all.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
        int started = 0;
        for (int i = 0; i < count; i++) {
            started += got.get(i) > 0 ? 1 : 0;
        }
        double[] finished = Arrays.stream(took).filter(x -> x > 0).sorted().toArray();
        System.out.printf("done=%d started=%d idle=%d failed=%d bytes=%d median_s=%.1f max_s=%.1f%n", done.get(),
                started, count - started, failed.get(), bytes.get(),
                finished.length == 0 ? 0 : finished[finished.length / 2],
                finished.length == 0 ? 0 : finished[finished.length - 1]);
        System.out.flush();
        Runtime.getRuntime().halt(0); // the downloads still running are cut
    }

    private static void download(int port, String path, long rate, int id, AtomicLongArray got, AtomicLong bytes)
            throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 << 10];
            ResponseHead head = ResponseHead.read(in, buf);
            long length = head.length;
            long body = head.bodyBytes();
            bytes.addAndGet(body);
            long t0 = System.nanoTime();
            while (body < length) {
                got.set(id, body);
                long due = t0 + (long) (body * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int n = in.read(buf, 0, (int) Math.min(buf.length, length - body));
                if (n < 0) {
                    throw new IOException("body ended at " + body + " of " + length);
                }
                body += n;
                bytes.addAndGet(n);
            }
            got.set(id, body);
        }
    }
}
