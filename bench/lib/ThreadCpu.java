import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The CPU of the one thread that copies, per GB: COUNT bodies of SIZE bytes, each from a new
 * origin connection (read through a BufferedInputStream, a 100-byte head first) into one client
 * connection (a BufferedOutputStream), with {@code in.transferTo(out)}, the way a gateway forwards a
 * body. The origin's writer and the client's reader are other threads of this JVM, so their cost
 * is not in the figure (on loopback the kernel charges part of the receiver's work to the sender's
 * system time: this is the copying thread's own share). The first quarter of the bodies is the
 * warm-up. Prints "thread_cpu_ms_per_gb N". Loopback only.
 */
public final class ThreadCpu {

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        byte[] body = new byte[size];
        InetAddress lo = InetAddress.getLoopbackAddress();
        ServerSocket origin = new ServerSocket(0, 200, lo);
        daemon(() -> {
            while (true) {
                try (Socket s = origin.accept()) {
                    OutputStream o = s.getOutputStream();
                    o.write(new byte[100]);
                    o.write(body);
                }
            }
        });
        ServerSocket clients = new ServerSocket(0, 1, lo);
        Socket toClient = new Socket(lo, clients.getLocalPort());
        Socket client = clients.accept();
        daemon(() -> {
            InputStream in = client.getInputStream();
            byte[] b = new byte[1 << 16];
            while (in.read(b) >= 0) {
                // the client reads as fast as it can
            }
        });
        OutputStream out = new BufferedOutputStream(toClient.getOutputStream());
        long total = 0;
        long start = 0;
        int warm = count / 4;
        for (int i = 0; i < count; i++) {
            if (i == warm) {
                start = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            }
            try (Socket s = new Socket(lo, origin.getLocalPort())) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                in.readNBytes(100);
                total += in.transferTo(out);
            }
        }
        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - start;
        out.flush();
        if (total != (long) count * size) {
            throw new IllegalStateException("copied " + total + " bytes, expected " + (long) count * size);
        }
        System.out.printf("thread_cpu_ms_per_gb %.1f%n", cpu / 1e6 / ((count - warm) * (double) size / 1e9));
    }

    interface Body {
        void run() throws IOException;
    }

    private static void daemon(Body b) {
        Thread t = new Thread(() -> {
            try {
                b.run();
            } catch (IOException e) {
                // the process is ending
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
