package dev.l7splice.it.soak;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The soak's backend, in the test's own JVM: reads a transfer's header (id, sizes, fault), sends
 * the download on one thread while it reads and checks the upload to its end of stream on another,
 * then closes. What it saw of each upload is kept for the client's verdict. A server fault is an
 * RST (SO_LINGER 0) at the planned offset of the download.
 */
final class SoakOrigin implements AutoCloseable {

    /** What arrived of one upload: its length, the first wrong offset (-1: none), and how it ended. */
    record Upload(long bytes, long mismatch, String error) {
    }

    private final ServerSocket server;
    private final Map<Long, Upload> uploads = new ConcurrentHashMap<>();
    private final Thread acceptor;

    SoakOrigin() throws IOException {
        server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "soak-origin");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** What the origin saw of upload {@code id}, waiting up to {@code millis} for it to end; null if it did not. */
    Upload upload(long id, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        Upload u;
        while ((u = uploads.remove(id)) == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return u;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "soak-origin-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        long id = -1;
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            id = in.readLong();
            long download = in.readLong();
            in.readLong(); // the upload's planned size: what arrives is judged by the client
            long faultAt = in.readLong();
            boolean reset = in.readByte() == SoakPlan.Fault.SERVER_RESET.ordinal();
            long tid = id;
            Thread writer = new Thread(() -> send(s, tid, download, reset ? faultAt : -1), "soak-origin-send");
            writer.setDaemon(true);
            writer.start();
            uploads.put(id, receive(s.getInputStream(), id));
            writer.join();
        } catch (IOException | InterruptedException e) {
            if (id >= 0) {
                uploads.putIfAbsent(id, new Upload(-1, -1, "before the upload: " + e));
            }
        }
    }

    private static void send(Socket s, long id, long n, long resetAt) {
        SoakPattern p = new SoakPattern(id, false);
        byte[] buf = new byte[65536];
        try {
            OutputStream out = s.getOutputStream();
            long off = 0;
            while (off < n) {
                int k = (int) Math.min(buf.length, n - off);
                if (resetAt >= 0 && off + k > resetAt) {
                    k = (int) (resetAt - off);
                    p.fill(buf, k, off);
                    out.write(buf, 0, k);
                    s.setSoLinger(true, 0);
                    s.close(); // an RST, as when a backend dies mid-body
                    return;
                }
                p.fill(buf, k, off);
                out.write(buf, 0, k);
                off += k;
            }
            s.shutdownOutput();
        } catch (IOException e) {
            // the client or the forwarder went away: its verdict says what it saw
        }
    }

    private static Upload receive(InputStream in, long id) {
        SoakPattern p = new SoakPattern(id, true);
        byte[] buf = new byte[65536];
        long off = 0;
        long mismatch = -1;
        try {
            for (int k; (k = in.read(buf)) >= 0; off += k) {
                if (mismatch < 0) {
                    mismatch = p.firstMismatch(buf, k, off);
                }
            }
            return new Upload(off, mismatch, null);
        } catch (IOException e) {
            return new Upload(off, mismatch, e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
