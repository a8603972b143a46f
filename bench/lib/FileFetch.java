import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * bench/files' load client (not part of the product): R GETs on C threads, a new connection each
 * (Connection: close), every body read to its Content-Length. Fast reader: 256 KiB reads, as fast
 * as it can. Slow reader (RATE > 0): 16 KiB reads, paced so that each connection takes at most
 * RATE bytes per second, which keeps the server's socket buffer full (the sender waits, wakes,
 * sends a little). With SHA (hex, or "-" for none) every body's SHA-256 is checked: used on the
 * warm-up pass only, so that hashing is not in the measured CPU.
 * The CPU is read here, around the requests only (not this JVM's start): the whole machine's
 * busy ticks from /proc/stat (user, nice, system, irq, softirq, steal: every process and the
 * kernel) and the utime+stime ticks of the server's processes PIDS (comma-separated).
 * Usage: java -cp DIR FileFetch PORT PATH REQUESTS CONCURRENCY RATE SHA PIDS
 * Prints "ok=N failed=F bytes=B seconds=S mbps=M machine_ticks=T server_ticks=U" (MB = 10^6 bytes).
 */
public final class FileFetch {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        int requests = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        long rate = Long.parseLong(args[4]);
        String sha = args[5].equals("-") ? null : args[5];
        AtomicInteger tickets = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        String[] pids = args[6].split(",");
        Thread[] threads = new Thread[Math.min(concurrency, requests)];
        long machine0 = machineTicks();
        long server0 = serverTicks(pids);
        long start = System.nanoTime();
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                while (tickets.getAndIncrement() < requests) {
                    try {
                        bytes.addAndGet(fetch(port, path, rate, sha));
                    } catch (Exception e) {
                        if (failed.getAndIncrement() == 0) {
                            System.err.println("first failure: " + e);
                        }
                    }
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long machine = machineTicks() - machine0;
        long server = serverTicks(pids) - server0;
        System.out.printf("ok=%d failed=%d bytes=%d seconds=%.3f mbps=%.1f machine_ticks=%d server_ticks=%d%n",
                requests - failed.get(), failed.get(), bytes.get(), seconds, bytes.get() / seconds / 1e6, machine, server);
    }

    /** Busy ticks of the whole machine: the first line of /proc/stat without idle and iowait. */
    private static long machineTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i <= 8 && i < f.length; i++) {
            if (i != 4 && i != 5) { // 4 idle, 5 iowait
                busy += Long.parseLong(f[i]);
            }
        }
        return busy;
    }

    /** utime+stime ticks of the processes, all threads; a process that is gone counts 0. */
    private static long serverTicks(String[] pids) {
        long sum = 0;
        for (String pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", pid, "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                // gone
            }
        }
        return sum;
    }

    private static long fetch(int port, String path, long rate, String sha) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[rate > 0 ? 16 << 10 : 256 << 10];
            ResponseHead head = ResponseHead.read(in, buf);
            long length = head.length;
            MessageDigest digest = sha == null ? null : MessageDigest.getInstance("SHA-256");
            long got = head.bodyBytes();
            if (digest != null) {
                digest.update(buf, head.bodyStart, head.bodyBytes());
            }
            long t0 = System.nanoTime();
            while (got < length) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, length - got));
                if (n < 0) {
                    throw new IOException("body ended at " + got + " of " + length);
                }
                if (digest != null) {
                    digest.update(buf, 0, n);
                }
                got += n;
                if (rate > 0) { // hold this connection to RATE bytes per second
                    long due = t0 + (long) (got * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
            }
            if (in.read() != -1) {
                throw new IOException("more than Content-Length bytes");
            }
            if (digest != null && !HexFormat.of().formatHex(digest.digest()).equals(sha)) {
                throw new IOException("SHA-256 differs from the file's");
            }
            return got;
        }
    }
}
