package dev.l7splice.it.soak;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One soak transfer through the forwarder, as its plan says: the upload written on another thread
 * while the download is read and checked byte by byte, then the verdict on both directions.
 */
final class SoakClient {

    enum Verdict { OK, EXPECTED_FAULT, TRUNCATED, CORRUPT, HUNG, ERROR }

    record Result(SoakPlan plan, Verdict verdict, String detail) {
    }

    private static final int READ_TIMEOUT_MILLIS = 30_000;
    /** After a fault this forwarder may never end the connection (no agent: it waits for the client). */
    private static final int FAULT_READ_TIMEOUT_MILLIS = 3_000;

    private SoakClient() {
    }

    static Result run(SoakPlan p, int port, SoakOrigin origin, ExecutorService writers) {
        boolean faulty = p.fault() != SoakPlan.Fault.NONE;
        long got = 0;
        long mismatch = -1;
        String ended = null;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(faulty ? FAULT_READ_TIMEOUT_MILLIS : READ_TIMEOUT_MILLIS);
            Future<?> upload = writers.submit(() -> upload(s, p));
            SoakPattern pattern = new SoakPattern(p.id(), false);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            try {
                for (int k; (k = in.read(buf)) >= 0; got += k) {
                    if (mismatch < 0) {
                        mismatch = pattern.firstMismatch(buf, k, got);
                    }
                    if (p.fault() == SoakPlan.Fault.CLIENT_RESET && got + k > p.faultAt()) {
                        s.setSoLinger(true, 0);
                        s.close();
                        return new Result(p, mismatch >= 0 ? Verdict.CORRUPT : Verdict.EXPECTED_FAULT, "client reset");
                    }
                    if (p.slowReader() && (got >>> 16) != ((got + k) >>> 16)) {
                        Thread.sleep(1);
                    }
                }
                upload.get(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (SocketTimeoutException e) {
                ended = "timeout";
            } catch (IOException e) {
                ended = e.toString();
            }
            upload.cancel(true);
        } catch (Exception e) {
            ended = ended == null ? e.toString() : ended;
        }
        if (mismatch >= 0) {
            return new Result(p, Verdict.CORRUPT, "download differs at " + mismatch);
        }
        if (faulty) {
            return new Result(p, Verdict.EXPECTED_FAULT, ended == null ? "" : ended);
        }
        if (ended != null) {
            return new Result(p, ended.equals("timeout") ? Verdict.HUNG : Verdict.ERROR,
                    "download after " + got + " of " + p.download() + " bytes: " + ended);
        }
        if (got != p.download()) {
            return new Result(p, Verdict.TRUNCATED, "download ended cleanly after " + got + " of " + p.download());
        }
        return uploadVerdict(p, origin);
    }

    private static Result uploadVerdict(SoakPlan p, SoakOrigin origin) {
        SoakOrigin.Upload u;
        try {
            u = origin.upload(p.id(), READ_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            return new Result(p, Verdict.HUNG, "interrupted");
        }
        if (u == null) {
            return new Result(p, Verdict.HUNG, "the origin never saw the upload end");
        }
        if (u.mismatch() >= 0) {
            return new Result(p, Verdict.CORRUPT, "upload differs at " + u.mismatch());
        }
        if (u.error() != null) {
            return new Result(p, Verdict.ERROR, "upload after " + u.bytes() + ": " + u.error());
        }
        if (u.bytes() != p.upload()) {
            return new Result(p, Verdict.TRUNCATED, "upload ended cleanly after " + u.bytes() + " of " + p.upload());
        }
        return new Result(p, Verdict.OK, "");
    }

    /** The header, the upload (a pause half-way if planned), then a half-close if planned. */
    private static Void upload(Socket s, SoakPlan p) throws IOException, InterruptedException {
        OutputStream out = s.getOutputStream();
        DataOutputStream head = new DataOutputStream(out);
        head.writeLong(p.id());
        head.writeLong(p.download());
        head.writeLong(p.upload());
        head.writeLong(p.faultAt());
        head.writeByte(p.fault().ordinal());
        head.flush();
        SoakPattern pattern = new SoakPattern(p.id(), true);
        byte[] buf = new byte[65536];
        for (long off = 0; off < p.upload(); ) {
            int k = (int) Math.min(buf.length, p.upload() - off);
            pattern.fill(buf, k, off);
            out.write(buf, 0, k);
            off += k;
            if (p.pause() && off >= p.upload() / 2 && off - k < p.upload() / 2) {
                Thread.sleep(50);
            }
        }
        if (p.halfClose()) {
            s.shutdownOutput();
        }
        return null;
    }
}
